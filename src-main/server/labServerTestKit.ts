import { request } from 'node:http';
import { labMethods, type ExperimentInfo, type LabApi, type LabEvent } from '../lab/api/labApi';
import { createLabDispatch } from '../lab/api/labDispatcher';
import { LabError } from '../lab/api/labErrors';
import type { LabHost } from './labHost';

/**
 * A fake lab for the server's tests: the real dispatch (so validation is the real one) over an API
 * where a few methods work and the rest throw, plus an event source the test drives by hand.
 */
export interface FakeLabHost extends LabHost {
  emit(event: LabEvent): void;
  readonly listenerCount: number;
}

/** A Lab API where experiments can be created, listed and read; every other method throws. */
export function createFakeLabApi(): LabApi {
  const experiments: ExperimentInfo[] = [];
  const api = Object.fromEntries(
    labMethods.map((method) => [
      method,
      () => {
        throw new Error(`fake lab: ${method} is not implemented`);
      },
    ]),
  ) as unknown as LabApi;
  api.listExperiments = async () => experiments;
  api.createExperiment = async ({ name, notes, tags }) => {
    const experiment: ExperimentInfo = {
      id: experiments.length + 1,
      uid: `uid-${experiments.length + 1}`,
      name,
      notes: notes ?? '',
      tags: tags ?? [],
      createdAt: '2025-01-01T00:00:00.000Z',
      runCount: 0,
    };
    experiments.push(experiment);
    return experiment;
  };
  api.getExperiment = async ({ id }) => {
    const experiment = experiments.find((e) => e.id === id);
    if (!experiment) throw new LabError('not-found', `no experiment ${id}`);
    return { experiment, runs: [] };
  };
  return api;
}

export function createFakeLabHost(): FakeLabHost {
  const api = createFakeLabApi();
  const listeners = new Set<(event: LabEvent) => void>();
  return {
    dispatch: createLabDispatch(api, () => {}),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(event) {
      for (const listener of listeners) listener(event);
    },
    get listenerCount() {
      return listeners.size;
    },
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json(): unknown;
}

/**
 * One HTTP request exactly as given: unlike fetch, node:http neither normalises `..` in the path nor
 * forbids setting Host and Origin, which the traversal and origin tests need.
 */
export function rawRequest(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ agent: false, host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: () => JSON.parse(text) as unknown });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The access token the server tests start their servers with (the server requires one always). */
export const testToken = 'kit-token-abcdefghijklmnopqrstuvwxyz';

/** POSTs a Lab API call the way the web client does, with `testToken` unless `headers` gives another Authorization ('' for none). */
export function callApi(port: number, method: string, body?: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  const { Authorization: authorization = `Bearer ${testToken}`, ...others } = headers;
  return rawRequest(port, {
    method: 'POST',
    path: `/api/${method}`,
    headers: { 'Content-Type': 'application/json', ...(authorization === '' ? {} : { Authorization: authorization }), ...others },
    ...(body !== undefined ? { body } : {}),
  });
}
