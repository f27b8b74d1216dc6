/**
 * The one way the web talks to the server: JSON over fetch with the session cookie, the CSRF token on writes,
 * the UI language in Accept-Language, and the server's error body turned into an ApiError.
 */

/** One field the server named in a 400 (`details.fields[]`, or `details.field` for a single one). */
export interface FieldIssue {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: unknown,
    readonly requestId: string | null,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The fields the server blamed, each with the message to show beside it. */
  get fieldIssues(): FieldIssue[] {
    const d = this.details as { fields?: unknown; field?: unknown } | null;
    if (d && Array.isArray(d.fields)) {
      return d.fields.filter((f): f is FieldIssue => typeof f?.field === 'string' && typeof f?.message === 'string');
    }
    if (d && typeof d.field === 'string') return [{ field: d.field, message: this.message }];
    return [];
  }
}

let csrfToken: string | null = null;
let language = 'zh-CN';
let networkMessage = 'Cannot reach the server';
let onUnauthorized: (() => void) | null = null;

/** The token from the login response or GET /api/auth/me; sent back as `x-csrf-token` on every write. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The UI language (sent as Accept-Language) and the one message the client writes itself, in that language. */
export function setApiLanguage(lang: string, messages: { network: string }): void {
  language = lang;
  networkMessage = messages.network;
}

/** Each app (console, phone site) says where a 401 sends the user. */
export function setUnauthorizedHandler(handler: (() => void) | null): void {
  onUnauthorized = handler;
}

type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /**
   * For the login calls a 401 means "wrong password / wrong code", not "your session ended":
   * the page shows the message instead of being sent to the login page.
   */
  anonymous?: boolean;
  signal?: AbortSignal;
  /** Return the Response itself on success (a file download) instead of parsing JSON. */
  raw?: boolean;
}

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': language };
  // A FormData body (a file upload) sets its own multipart Content-Type with the boundary.
  const form = typeof FormData !== 'undefined' && opts.body instanceof FormData;
  if (opts.body !== undefined && !form) headers['Content-Type'] = 'application/json';
  if (WRITE_METHODS.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body === undefined ? undefined : form ? (opts.body as FormData) : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'NETWORK', networkMessage, null, null);
  }

  if (res.status === 204) return undefined as T;
  if (res.ok && opts.raw) return res as T;
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (res.ok) return body as T;

  const e = (body as { error?: { code?: string; message?: string; details?: unknown }; requestId?: string } | null) ?? {};
  const error = new ApiError(
    res.status,
    e.error?.code ?? `HTTP_${res.status}`,
    e.error?.message ?? `${res.status} ${res.statusText}`,
    e.error?.details ?? null,
    e.requestId ?? res.headers.get('x-request-id'),
  );
  if (res.status === 401 && !opts.anonymous) {
    csrfToken = null;
    onUnauthorized?.();
  }
  throw error;
}

export const api = {
  get: <T>(path: string, query?: Query, opts?: Omit<RequestOptions, 'query' | 'body'>) => request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts?: Omit<RequestOptions, 'body'>) => request<T>('POST', path, { ...opts, body: body ?? {} }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** The file name a download was sent under (`Content-Disposition: attachment; filename*=UTF-8''…`). */
function fileNameOf(res: Response, fallback: string): string {
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)?.[1];
  if (star) {
    try {
      return decodeURIComponent(star);
    } catch {
      return star;
    }
  }
  return /filename="?([^";]+)"?/i.exec(cd)?.[1] ?? fallback;
}

/**
 * GETs a file (an .xlsx template or export) with the session and saves it under the name the server gave it.
 * Errors arrive as ApiError like any other call.
 */
export async function download(path: string, query?: Query, fallbackName = 'download'): Promise<string> {
  const res = await request<Response>('GET', path, { query, raw: true });
  const name = fileNameOf(res, fallbackName);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return name;
}

/** POSTs one file as multipart form data (field `file`). */
export function upload<T>(path: string, file: File | Blob, query?: Query, fileName?: string): Promise<T> {
  const body = new FormData();
  body.append('file', file, fileName ?? (file instanceof File ? file.name : 'upload'));
  return request<T>('POST', path, { query, body });
}

export function isApiError(err: unknown, status?: number): err is ApiError {
  return err instanceof ApiError && (status === undefined || err.status === status);
}
