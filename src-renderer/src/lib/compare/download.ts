/** Saves a URL (data: or blob:) under a file name through a temporary <a download>: the browser's download, Electron's save. */
export function downloadUrl(url: string, fileName: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
}

/** Saves text as a file. The blob URL is released a little later: revoking it at once can cancel the download. */
export function downloadText(text: string, fileName: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }));
  downloadUrl(url, fileName);
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
