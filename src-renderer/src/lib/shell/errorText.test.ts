import { expect, test } from 'vitest';
import { LabError } from '$api/labErrors';
import { errorText, issueOf } from './errorText';

test('a lab error shows its message as given', () => {
  expect(errorText(new LabError('invalid-input', "addDataset: field 'path': no such file"))).toBe("addDataset: field 'path': no such file");
});

test('other errors show their message, or something in words', () => {
  expect(errorText(new TypeError('Failed to fetch'))).toBe('Failed to fetch');
  expect(errorText('socket closed')).toBe('socket closed');
  expect(errorText(undefined)).toBe('unexpected error: undefined');
});

test('a refused call is an issue at the field its lab error names, else at none', () => {
  expect(issueOf(new LabError('invalid-input', 'count: expected at most 200, got 500', 'count'))).toEqual({ field: 'count', message: 'count: expected at most 200, got 500' });
  expect(issueOf(new LabError('internal', 'the lab did not answer'))).toEqual({ field: '', message: 'the lab did not answer' });
  expect(issueOf(new TypeError('Failed to fetch'))).toEqual({ field: '', message: 'Failed to fetch' });
});
