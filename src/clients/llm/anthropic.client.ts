import type * as SdkModule from '@anthropic-ai/sdk';
import type { Anthropic, APIError } from '@anthropic-ai/sdk';
import type { MessageParam, Message } from '@anthropic-ai/sdk/resources/messages/messages';

type Sdk = typeof SdkModule;
let sdkModule: Promise<Sdk> | undefined;
/** The SDK is loaded on first use: most installations run without a key, and the CLI should not pay for it at start. */
const loadSdk = () => (sdkModule ??= import('@anthropic-ai/sdk'));

/** Anthropic failed, answered an error, or sent something unusable. */
export class LlmError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LlmError';
  }
}

/** No answer within the deadline (ours or the client's timeout). */
export class LlmTimeoutError extends LlmError {
  constructor(message = 'The language model did not answer in time', options?: { cause?: unknown }) {
    super(message, undefined, options);
    this.name = 'LlmTimeoutError';
  }
}

/** Anthropic is rate-limiting us (429) or overloaded (529); try again after `retryAfterSeconds`. */
export class LlmRateLimitedError extends LlmError {
  constructor(
    readonly retryAfterSeconds: number,
    status: number,
    options?: { cause?: unknown },
  ) {
    super(`The language model is rate-limited or overloaded (HTTP ${status})`, status, options);
    this.name = 'LlmRateLimitedError';
  }
}

export interface LlmClientConfig {
  apiKey: string;
  /** Defaults to Anthropic's API; tests point it at a local fake. */
  baseUrl?: string | undefined;
  model: string;
  /** Output token budget of one call (`AUGUR_MAX_TOKENS`; 0 means 4096). */
  maxTokens: number;
  /** Upper bound of one call, continuations included. */
  timeoutMs: number;
}

export interface LlmRequest {
  system: string;
  user: string;
  /** Anthropic's server-side web search (`web_search_20250305`) with at most this many searches; 0 turns it off. */
  webSearchMaxUses: number;
  signal?: AbortSignal | undefined;
}

export interface LlmResponse {
  /** The text blocks of the final reply, joined. */
  text: string;
  /** The model id the provider reports. */
  model: string;
  inputTokens: number;
  outputTokens: number;
}

export interface LlmClient {
  /**
   * One Messages API exchange, continued while the server pauses a long tool turn.
   * No `temperature`: this SDK sends `anthropic-version: 2026-10-21`, which rejects
   * sampling parameters with a 400 (the Go service's temperature 0 cannot be kept).
   */
  complete(request: LlmRequest): Promise<LlmResponse>;
}

/** Used when a 429 or 529 comes without a usable `retry-after`. */
const DEFAULT_RETRY_AFTER_SECONDS = 30;
/** A server-tool turn may pause (`stop_reason: pause_turn`); we continue it at most this many times. */
const MAX_CONTINUATIONS = 3;

function retryAfterSeconds(headers: Headers | undefined): number {
  const raw = headers?.get('retry-after');
  if (!raw) return DEFAULT_RETRY_AFTER_SECONDS;
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.max(1, Math.ceil(seconds));
  const at = Date.parse(raw);
  return Number.isNaN(at) ? DEFAULT_RETRY_AFTER_SECONDS : Math.max(1, Math.ceil((at - Date.now()) / 1000));
}

/** Map whatever the SDK threw to our typed errors. */
function toLlmError(sdk: Sdk | undefined, err: unknown, signal: AbortSignal | undefined): LlmError {
  if (err instanceof LlmError) return err;
  if (sdk && err instanceof sdk.APIConnectionTimeoutError) return new LlmTimeoutError(undefined, { cause: err });
  if ((sdk && err instanceof sdk.APIUserAbortError) || signal?.aborted) return new LlmTimeoutError(undefined, { cause: err });
  if (sdk && err instanceof sdk.APIError) {
    const apiError = err as APIError<number | undefined, Headers | undefined>;
    const status = apiError.status;
    if (status === 429 || status === 529) return new LlmRateLimitedError(retryAfterSeconds(apiError.headers), status, { cause: err });
    if (status === 408 || status === 504) return new LlmTimeoutError(`The language model timed out (HTTP ${status})`, { cause: err });
    return new LlmError(status === undefined ? 'Could not reach the language model' : `The language model answered HTTP ${status}`, status, { cause: err });
  }
  return new LlmError('The language model call failed', undefined, { cause: err });
}

/**
 * The Anthropic Messages API through `@anthropic-ai/sdk`. The SDK's own
 * retries are off: a 429 must reach the caller at once (it answers 503 with
 * `Retry-After`), and the route deadline leaves no room for backoff.
 * This SDK version sends the key as `Authorization: Bearer <key>`, not `x-api-key`.
 */
export function createLlmClient(config: LlmClientConfig): LlmClient {
  let client: Promise<Anthropic> | undefined;
  const anthropic = () =>
    (client ??= loadSdk().then(
      (sdk) =>
        new sdk.Anthropic({
          apiKey: config.apiKey,
          baseURL: config.baseUrl ?? 'https://api.anthropic.com',
          maxRetries: 0,
          timeout: config.timeoutMs,
          logLevel: 'off',
        }),
    ));
  const maxTokens = config.maxTokens > 0 ? config.maxTokens : 4096;

  return {
    async complete(request) {
      const signal = request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(config.timeoutMs)]) : AbortSignal.timeout(config.timeoutMs);
      const messages: MessageParam[] = [{ role: 'user', content: request.user }];
      const texts: string[] = [];
      let inputTokens = 0;
      let outputTokens = 0;
      let model = config.model;
      let sdk: Sdk | undefined;
      try {
        sdk = await loadSdk();
        const api = await anthropic();
        for (let turn = 0; ; turn++) {
          const message: Message = await api.messages.create(
            {
              model: config.model,
              max_tokens: maxTokens,
              system: request.system,
              messages,
              ...(request.webSearchMaxUses > 0 ? { tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: request.webSearchMaxUses }] } : {}),
            },
            { signal },
          );
          model = message.model || model;
          inputTokens += message.usage?.input_tokens ?? 0;
          outputTokens += message.usage?.output_tokens ?? 0;
          for (const block of message.content ?? []) if (block.type === 'text') texts.push(block.text);
          if (message.stop_reason !== 'pause_turn' || turn >= MAX_CONTINUATIONS) break;
          // A paused server-tool turn is resumed by sending the partial assistant turn back.
          messages.push({ role: 'assistant', content: message.content });
          texts.length = 0;
        }
      } catch (err) {
        throw toLlmError(sdk, err, signal);
      }
      return { text: texts.join('\n'), model, inputTokens, outputTokens };
    },
  };
}
