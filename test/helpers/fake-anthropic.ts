import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the fake received. */
export interface FakeAnthropicCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (Messages API parameters). */
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- the request body as the SDK sent it
  /** The text of the last user message, for assertions on prompts. */
  prompt: string;
  /** The client went away before the answer was sent (timeout, abort). */
  aborted: boolean;
}

/**
 * How to answer one call:
 * - `text`: a 200 Messages API reply whose final text block is `text`, after a web search round;
 * - `status`: an error in Anthropic's error shape (`body` replaces it), with `headers` such as `retry-after`;
 * - `hang`: never answer.
 * `latencyMs` delays any answer.
 */
export type FakeAnthropicReply =
  | { text: string; model?: string; inputTokens?: number; outputTokens?: number; latencyMs?: number; stopReason?: 'end_turn' | 'pause_turn' | 'max_tokens' }
  | { status: number; headers?: Record<string, string>; body?: unknown; latencyMs?: number }
  | { hang: true };

export type FakeAnthropicHandler = FakeAnthropicReply | ((call: FakeAnthropicCall) => FakeAnthropicReply);

export interface FakeAnthropic {
  /** `http://127.0.0.1:<port>`: use as `ANTHROPIC_BASE_URL`. */
  readonly baseUrl: string;
  /** Every `POST /v1/messages` in arrival order. */
  readonly calls: FakeAnthropicCall[];
  /** Answer the next calls with these, in order; afterwards the default answers. */
  enqueue(...replies: FakeAnthropicHandler[]): void;
  /** The answer when the queue is empty (initially a good envelope from {@link factsText}). */
  setDefault(handler: FakeAnthropicHandler): void;
  /** Empty the queue and the calls, restore the default answer. */
  reset(): void;
  close(): Promise<void>;
}

const ERROR_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export interface FactsOptions {
  netWorth?: unknown;
  parents?: unknown;
  siblings?: unknown;
  children?: unknown;
  spouse?: unknown;
  interestingFact?: unknown;
  /** Confidence per field; a field set to `undefined` has no meta entry. Defaults to 0.9 for every field. */
  confidence?: Partial<Record<string, number | undefined>>;
  notes?: string;
}

/** A model reply holding the JSON envelope augur asks for. */
export function factsEnvelope(opts: FactsOptions = {}): Record<string, unknown> {
  const data = {
    netWorth: 'netWorth' in opts ? opts.netWorth : 120000000,
    parents: 'parents' in opts ? opts.parents : ['Mary Lee Pfeiffer', 'Thomas Cruise Mapother III'],
    siblings: 'siblings' in opts ? opts.siblings : ['Lee Anne De Vette', 'Marian Henley', 'Cass Mapother'],
    children: 'children' in opts ? opts.children : ['Isabella Cruise', 'Connor Cruise', 'Suri Cruise'],
    spouse: 'spouse' in opts ? opts.spouse : 'Katie Holmes',
    interestingFact: 'interestingFact' in opts ? opts.interestingFact : 'He performs many of his own stunts, including climbing the Burj Khalifa.',
  };
  const meta: Record<string, unknown> = {};
  for (const field of Object.keys(data)) {
    const confidence = opts.confidence && field in opts.confidence ? opts.confidence[field] : 0.9;
    if (confidence === undefined) continue;
    meta[field] = { confidence, sources: [{ title: `About ${field}`, url: `https://example.org/${field}` }] };
  }
  return { data, meta, notes: opts.notes ?? 'A famously hands-on actor with a large family.' };
}

export const factsText = (opts: FactsOptions = {}) => JSON.stringify(factsEnvelope(opts));

/** Start the fake Anthropic Messages API on 127.0.0.1 and a random port. */
export async function startFakeAnthropic(): Promise<FakeAnthropic> {
  const calls: FakeAnthropicCall[] = [];
  const queue: FakeAnthropicHandler[] = [];
  const defaultReply: FakeAnthropicHandler = () => ({ text: factsText() });
  let fallback: FakeAnthropicHandler = defaultReply;
  const hanging = new Set<ServerResponse>();
  let counter = 0;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = undefined;
      }
      const messages: { role: string; content: unknown }[] = Array.isArray(body?.messages) ? body.messages : [];
      const lastUser = [...messages].reverse().find((m) => m.role === 'user');
      const call: FakeAnthropicCall = {
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0] ?? '',
        headers: req.headers,
        body,
        prompt: typeof lastUser?.content === 'string' ? lastUser.content : JSON.stringify(lastUser?.content ?? ''),
        aborted: false,
      };
      calls.push(call);
      res.on('close', () => {
        if (!res.writableFinished) call.aborted = true;
        hanging.delete(res);
      });
      if (call.method !== 'POST' || call.path !== '/v1/messages') {
        send(res, 404, { type: 'error', error: { type: 'not_found_error', message: 'Not found' } });
        return;
      }
      const handler = queue.shift() ?? fallback;
      const reply = typeof handler === 'function' ? handler(call) : handler;
      if ('hang' in reply) {
        hanging.add(res);
        return;
      }
      const answer = () => {
        if (res.destroyed) return;
        if ('status' in reply) {
          send(
            res,
            reply.status,
            reply.body ?? { type: 'error', error: { type: ERROR_TYPES[reply.status] ?? 'api_error', message: `fake error ${reply.status}` } },
            reply.headers,
          );
          return;
        }
        const n = ++counter;
        send(res, 200, {
          id: `msg_fake_${n}`,
          type: 'message',
          role: 'assistant',
          model: reply.model ?? body?.model ?? 'claude-fake',
          content: [
            { type: 'text', text: "I'll look that up.", citations: null },
            { type: 'server_tool_use', id: `srvtoolu_${n}`, name: 'web_search', input: { query: 'net worth' } },
            {
              type: 'web_search_tool_result',
              tool_use_id: `srvtoolu_${n}`,
              content: [{ type: 'web_search_result', url: 'https://example.org/a', title: 'A page', encrypted_content: 'x', page_age: null }],
            },
            { type: 'text', text: reply.text, citations: null },
          ],
          stop_reason: reply.stopReason ?? 'end_turn',
          stop_sequence: null,
          usage: {
            input_tokens: reply.inputTokens ?? 1200,
            output_tokens: reply.outputTokens ?? 300,
            cache_creation_input_tokens: null,
            cache_read_input_tokens: null,
            server_tool_use: { web_search_requests: 1 },
            service_tier: 'standard',
          },
        });
      };
      if (reply.latencyMs) setTimeout(answer, reply.latencyMs);
      else answer();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    calls,
    enqueue: (...replies) => queue.push(...replies),
    setDefault: (handler) => {
      fallback = handler;
    },
    reset() {
      queue.length = 0;
      calls.length = 0;
      fallback = defaultReply;
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    async close() {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'request-id': 'req_fake', ...headers });
  res.end(text);
}
