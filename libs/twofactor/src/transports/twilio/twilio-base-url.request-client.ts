import twilio from 'twilio';

// The SDK's namespace types are not re-exported from `twilio`, so derive them from the class.
type RequestClientOptions = ConstructorParameters<typeof twilio.RequestClient>[0];
type RequestOptions<TData> = Parameters<twilio.RequestClient['request']>[0] & { data?: TData };

/**
 * Twilio's client has no base-URL option (edge/region only rewrite *.twilio.com hosts), so to
 * reach a Twilio-compatible server (a local stand-in in tests) we rewrite each request's URI.
 */
export class BaseUrlRequestClient extends twilio.RequestClient {
  private readonly baseUrl: URL;

  constructor(baseUrl: string, options?: RequestClientOptions) {
    super(options);
    this.baseUrl = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  }

  override request<TData>(opts: RequestOptions<TData>) {
    return super.request<TData>({ ...opts, uri: rebase(opts.uri, this.baseUrl) });
  }
}

/** Keeps path and query of `uri` (https://api.twilio.com/2010-04-01/…) and swaps its origin. */
export function rebase(uri: string, baseUrl: URL): string {
  const original = new URL(uri);
  const target = new URL(baseUrl.href);
  target.pathname = `${target.pathname.replace(/\/$/, '')}${original.pathname}`;
  target.search = original.search;
  return target.href;
}
