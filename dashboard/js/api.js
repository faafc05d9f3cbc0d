// The session cookie (set by /?token=…) authorizes these requests; the token itself is never visible to scripts.
export class ApiError extends Error {
  constructor(status, message, issues = []) {
    super(message);
    this.status = status;
    this.issues = issues;
  }
}

// Launch errors list `path: message` strings, the other routes `{ path, message }` objects.
const issueText = (i) => (typeof i === 'string' ? i : `${i.path}: ${i.message}`);

async function request(path, init = {}) {
  const res = await fetch(`/api${path}`, { credentials: 'same-origin', ...init });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) {
    const issues = (body.issues ?? []).map(issueText);
    throw new ApiError(res.status, `${body.error ?? res.statusText}${issues.length ? `: ${issues.join('; ')}` : ''}`, issues);
  }
  return body;
}

const enc = encodeURIComponent;

export const api = {
  studies: () => request('/studies'),
  study: (name) => request(`/studies/${enc(name)}`),
  trials: (name, query) => request(`/studies/${enc(name)}/trials?${new URLSearchParams(query)}`),
  trial: (name, number) => request(`/studies/${enc(name)}/trials/${number}`),
  history: (name) => request(`/studies/${enc(name)}/history`),
  curves: (name, metric) => request(`/studies/${enc(name)}/curves${metric ? `?metric=${enc(metric)}` : ''}`),
  importance: (name) => request(`/studies/${enc(name)}/importance`),
  space: (name) => request(`/studies/${enc(name)}/space`),
  slices: (name, params) => request(`/studies/${enc(name)}/slices${params?.length ? `?params=${enc(params.join(','))}` : ''}`),
  heatmap: (name, query = {}) => request(`/studies/${enc(name)}/heatmap?${new URLSearchParams(query)}`),
  brackets: (name) => request(`/studies/${enc(name)}/brackets`),
  timeline: (name) => request(`/studies/${enc(name)}/timeline`),
  edf: (name) => request(`/studies/${enc(name)}/edf`),
  rank: (name, query = {}) => request(`/studies/${enc(name)}/rank?${new URLSearchParams(query)}`),
  compare: (name, numbers, metric) =>
    request(`/studies/${enc(name)}/compare?${new URLSearchParams({ trials: numbers.join(','), ...(metric ? { metric } : {}) })}`),
  note: (name) => request(`/studies/${enc(name)}/note`),
  saveNote: (name, note) =>
    request(`/studies/${enc(name)}/note`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(note) }),
  stop: (name) => request(`/studies/${enc(name)}/stop`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }),
  launch: (studyJson) => request('/studies', { method: 'POST', headers: { 'content-type': 'application/json' }, body: studyJson }),
  remove: (name) => request(`/studies/${enc(name)}?confirm=${enc(name)}`, { method: 'DELETE' }),
  events: (name, since) => new EventSource(`/api/studies/${enc(name)}/events${since ? `?since=${since}` : ''}`),
};
