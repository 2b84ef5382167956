import { expect, test } from 'vitest';
import { LabError } from '$api/labErrors';
import { errorText } from './errorText';

test('a lab error shows its message as given', () => {
  expect(errorText(new LabError('invalid-input', "addDataset: field 'path': no such file"))).toBe("addDataset: field 'path': no such file");
});

test('other errors show their message, or something in words', () => {
  expect(errorText(new TypeError('Failed to fetch'))).toBe('Failed to fetch');
  expect(errorText('socket closed')).toBe('socket closed');
  expect(errorText(undefined)).toBe('unexpected error: undefined');
});
