/** The dashboard API described for tools (hand-written; kept next to the routes it describes). */
const name = { name: 'name', in: 'path', required: true, schema: { type: 'string' } };
const json = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const errors = {
  '400': json('invalid request: `issues` lists `{ path, message }`'),
  '401': json('missing or wrong token'),
  '404': json('no such study or trial'),
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: {
    title: 'autotune dashboard API',
    version: '1',
    description:
      'Read and manage studies. Every route needs the token (Authorization: Bearer, or the cookie set by GET /?token=). ' +
      'Requests must be addressed to an allowed Host; mutations take application/json only, bodies up to 64 KiB. Chart responses hold at most 2,000 points.',
  },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' }, cookie: { type: 'apiKey', in: 'cookie', name: 'autotune_dashboard' } },
  },
  security: [{ bearer: [] }, { cookie: [] }],
  paths: {
    '/api/studies': {
      get: {
        summary: 'List studies: state, trial counts by state, best value, sampler, scheduler, created',
        responses: { '200': json('{ studies }'), '401': errors['401'] },
      },
      post: {
        summary:
          'Launch a study from a study-file body (validated; dataset confined to the data root; code modules only with --allow-code)',
        responses: {
          '202': json('{ name, state }'),
          '400': json('{ error, issues } with JSON paths'),
          '403': json('code not allowed, or launching disabled'),
          '409': json('a study of that name exists'),
          '401': errors['401'],
        },
      },
    },
    '/api/studies/{name}': {
      get: {
        summary: 'One study with its config, data-quality report, ensemble and best trial',
        parameters: [name],
        responses: { '200': json('study'), ...errors },
      },
      delete: {
        summary: 'Delete a study with its trials (artifact files stay on disk)',
        parameters: [
          name,
          { name: 'confirm', in: 'query', required: true, schema: { type: 'string' }, description: 'the study name again' },
        ],
        responses: { '200': json('{ deleted }'), '409': json('the study has running trials'), ...errors },
      },
    },
    '/api/studies/{name}/stop': {
      post: {
        summary: "Set the study's state to stopped",
        parameters: [name],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: { type: 'object', additionalProperties: false, properties: { reason: { type: 'string', maxLength: 500 } } },
            },
          },
        },
        responses: { '200': json('{ name, state }'), '413': json('body too large'), '415': json('not JSON'), ...errors },
      },
    },
    '/api/studies/{name}/trials': {
      get: {
        summary: 'A page of trials, sorted and filtered',
        parameters: [
          name,
          {
            name: 'state',
            in: 'query',
            schema: { type: 'string' },
            description: 'comma-separated: waiting,running,complete,pruned,failed',
          },
          {
            name: 'sort',
            in: 'query',
            schema: { type: 'string', default: 'number' },
            description:
              'number, value, state, epochs, duration, a parameter or a final metric (params.NAME, metrics.NAME, or a bare name: parameter first)',
          },
          {
            name: 'where',
            in: 'query',
            schema: { type: 'string' },
            description:
              'comma-separated FIELD OP VALUE conditions, all met; OP one of = != < <= > >=, e.g. `lr < 0.01, activation = relu`',
          },
          { name: 'order', in: 'query', schema: { enum: ['asc', 'desc'], default: 'asc' } },
          { name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
          { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
        ],
        responses: { '200': json('{ total, offset, limit, stamp, trials }'), ...errors },
      },
    },
    '/api/studies/{name}/trials.csv': {
      get: {
        summary:
          'Every trial as RFC 4180 CSV, the columns of `autotune trials`: number, state, value, times, last step, backend, reason, params.*, metrics.*',
        parameters: [
          name,
          {
            name: 'state',
            in: 'query',
            schema: { type: 'string' },
            description: 'comma-separated: waiting,running,complete,pruned,failed',
          },
        ],
        responses: { '200': { description: 'text/csv', content: { 'text/csv': { schema: { type: 'string' } } } }, ...errors },
      },
    },
    '/api/studies/{name}/trials/{number}': {
      get: {
        summary: 'One trial with params, per-epoch metrics, diagnoses, backend, failure reason',
        parameters: [name, { name: 'number', in: 'path', required: true, schema: { type: 'integer', minimum: 0 } }],
        responses: { '200': json('trial'), ...errors },
      },
    },
    '/api/studies/{name}/history': {
      get: {
        summary: 'Optimization history: values and best-so-far',
        parameters: [name],
        responses: { '200': json('{ values, best, downsampled }'), ...errors },
      },
    },
    '/api/studies/{name}/curves': {
      get: {
        summary: 'Learning curves of the best trials, downsampled to at most 2,000 points',
        parameters: [
          name,
          { name: 'metric', in: 'query', schema: { type: 'string' }, description: "default: the objective's metric" },
          { name: 'trials', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 200, default: 50 } },
        ],
        responses: { '200': json('{ metric, metrics, curves, downsampled }'), ...errors },
      },
    },
    '/api/studies/{name}/importance': {
      get: {
        summary: 'Parameter importance: first-order variance share over quantile bins (fANOVA-like, no interactions)',
        parameters: [name],
        responses: { '200': json('{ method, params }'), ...errors },
      },
    },
    '/api/studies/{name}/space': {
      get: {
        summary: 'The searched parameters with their distributions (log, range, choices)',
        parameters: [name],
        responses: { '200': json('{ params: [{ name, distribution }] }'), ...errors },
      },
    },
    '/api/studies/{name}/slices': {
      get: {
        summary: 'Objective vs parameter value of complete trials, per parameter (default: the 8 most important); at most 2,000 points',
        parameters: [name, { name: 'params', in: 'query', schema: { type: 'string' }, description: 'comma-separated, at most 8' }],
        responses: { '200': json('{ slices: [{ name, distribution, points: [[x, value, trial]], total }], downsampled }'), ...errors },
      },
    },
    '/api/studies/{name}/heatmap': {
      get: {
        summary:
          'Mean objective of complete trials over a grid of two parameters: numbers in at most bins ranges a side (log-spaced for log parameters), integers (when no more than bins) and categories one bin per value; non-empty cells only',
        parameters: [
          name,
          {
            name: 'x',
            in: 'query',
            schema: { type: 'string' },
            description: 'default: the most important numeric parameter (a categorical one when fewer than two are numeric)',
          },
          { name: 'y', in: 'query', schema: { type: 'string' }, description: 'default: the next one' },
          { name: 'bins', in: 'query', schema: { type: 'integer', minimum: 2, maximum: 40, default: 20 } },
        ],
        responses: {
          '200': json('{ bins, x: { param, kind, log, edges | null, values | null } | null, y, cells: [[i, j, mean, count]], trials }'),
          ...errors,
        },
      },
    },
    '/api/studies/{name}/brackets': {
      get: {
        summary: 'ASHA / Hyperband: trials per bracket and how many reached each rung (empty for other schedulers)',
        parameters: [name],
        responses: { '200': json('{ scheduler, brackets: [{ bracket, trials, reached, states }] }'), ...errors },
      },
    },
    '/api/studies/{name}/timeline': {
      get: {
        summary: 'Trials as bars on worker lanes (interval partitioning of start and finish times), the latest 2,000',
        parameters: [name],
        responses: { '200': json('{ bars: [{ number, state, start, end, lane }], lanes, truncated }'), ...errors },
      },
    },
    '/api/studies/{name}/events': {
      get: {
        summary: 'Server-sent events: `update` with changed trials, state and counts; ids (change sequence marks) resume via Last-Event-ID',
        parameters: [name, { name: 'since', in: 'query', schema: { type: 'integer' }, description: 'stamp from the trials listing' }],
        responses: { '200': { description: 'text/event-stream' }, ...errors },
      },
    },
    '/api/studies/{name}/edf': {
      get: {
        summary: "Empirical distribution of the objective over complete trials (Optuna's plot_edf); at most 2,000 points",
        parameters: [name],
        responses: { '200': json('{ direction, points: [[value, share ≤ value]], trials, downsampled }'), ...errors },
      },
    },
    '/api/studies/{name}/rank': {
      get: {
        summary:
          'Rank plot: complete trials over two parameters, each with the rank share of its objective (0 best, 1 worst; ties share the better)',
        parameters: [
          name,
          { name: 'x', in: 'query', schema: { type: 'string' }, description: 'default: the most important parameter' },
          {
            name: 'y',
            in: 'query',
            schema: { type: 'string' },
            description: 'default: the next one; with one parameter y is the objective (y: null)',
          },
        ],
        responses: {
          '200': json('{ x: { name, distribution }, y, points: [[x, y, rank, value, trial]], trials, downsampled }'),
          ...errors,
        },
      },
    },
    '/api/studies/{name}/compare': {
      get: {
        summary: 'Trials side by side: parameter and final-metric rows (differs flags disagreement) and their learning curves',
        parameters: [
          name,
          { name: 'trials', in: 'query', required: true, schema: { type: 'string' }, description: 'comma-separated trial numbers, 2 to 8' },
          { name: 'metric', in: 'query', schema: { type: 'string' }, description: "curve metric; default: the objective's metric" },
        ],
        responses: { '200': json('{ trials, params: [{ name, values, differs }], metrics, metric, curveMetrics, curves }'), ...errors },
      },
    },
    '/api/studies/{name}/note': {
      get: {
        summary: "The study's note (plain text)",
        parameters: [name],
        responses: { '200': json('{ text, version, updatedAt }'), ...errors },
      },
      put: {
        summary: 'Save the note over the version it was read at (compare-and-set)',
        parameters: [name],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['text', 'version'],
                properties: { text: { type: 'string', maxLength: 20000 }, version: { type: 'integer', minimum: 0 } },
              },
            },
          },
        },
        responses: {
          '200': json('{ text, version, updatedAt }'),
          '409': json('saved elsewhere since: `note` holds the stored one'),
          '413': json('body too large'),
          '415': json('not JSON'),
          ...errors,
        },
      },
    },
    '/api/openapi.json': { get: { summary: 'This document', responses: { '200': json('OpenAPI 3.1') } } },
  },
} as const;
