/**
 * Resolves in a task of its own, after what is queued now (input, painting) has had its turn: how a
 * long piece of work on the page is cut into short ones. A MessageChannel message, not setTimeout:
 * nested timers are clamped to 4 ms, and tests' fake timers do not hold it back.
 */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
