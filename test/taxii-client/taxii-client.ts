/**
 * An independent TAXII 2.1 client that knows only the OASIS TAXII 2.1 specification (sections cited).
 * It deliberately imports nothing from src/ — see README.md.
 */

/** §1.6.8 */
export const TAXII_21 = 'application/taxii+json;version=2.1';

export type TaxiiAuth =
  | { readonly basic: { readonly user: string; readonly password: string } }
  | { readonly bearer: string };

export class TaxiiClientError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body: unknown,
  ) {
    super(message);
    this.name = 'TaxiiClientError';
  }
}

/** §4.1 */
export interface Discovery {
  title: string;
  description?: string;
  contact?: string;
  default?: string;
  api_roots?: string[];
}

/** §4.2 */
export interface ApiRoot {
  title: string;
  versions: string[];
  max_content_length: number;
}

/** §5.2 */
export interface CollectionInfo {
  id: string;
  title: string;
  can_read: boolean;
  can_write: boolean;
  media_types?: string[];
}

/** §3.7 */
export interface Envelope {
  more?: boolean;
  next?: string;
  objects?: Record<string, unknown>[];
}

export interface ObjectsPage {
  envelope: Envelope;
  dateAddedFirst: string | null;
  dateAddedLast: string | null;
}

export interface ObjectFilters {
  /** §3.4.1: RFC 3339 timestamp, exclusive. */
  addedAfter?: string;
  limit?: number;
  /** §3.5: match[<field>] values. */
  match?: Partial<Record<'id' | 'type' | 'version' | 'spec_version', string>>;
}

export class TaxiiClient {
  readonly #auth: TaxiiAuth | undefined;

  constructor(options: { auth?: TaxiiAuth } = {}) {
    this.#auth = options.auth;
  }

  async #get(url: string): Promise<{ body: unknown; headers: Headers }> {
    const headers: Record<string, string> = { Accept: TAXII_21 };
    if (this.#auth && 'basic' in this.#auth)
      headers.Authorization = `Basic ${Buffer.from(`${this.#auth.basic.user}:${this.#auth.basic.password}`).toString('base64')}`;
    else if (this.#auth) headers.Authorization = `Bearer ${this.#auth.bearer}`;
    const res = await fetch(url, { headers });
    const text = await res.text();
    const type = (res.headers.get('content-type') ?? '').replace(/\s+/g, '').toLowerCase();
    let body: unknown = text;
    if (type.startsWith('application/taxii+json')) body = text ? JSON.parse(text) : {};
    if (!res.ok) throw new TaxiiClientError(res.status, `GET ${url}: HTTP ${res.status}`, body);
    // §1.6.8: a TAXII 2.1 response carries the TAXII 2.1 media type.
    if (!type.startsWith(TAXII_21))
      throw new TaxiiClientError(res.status, `GET ${url}: unexpected Content-Type ${type}`, body);
    return { body, headers: res.headers };
  }

  /** §4.1 Server Discovery: GET /taxii2/ */
  async discover(serverUrl: string): Promise<Discovery> {
    return (await this.#get(serverUrl)).body as Discovery;
  }

  /** §4.2 Get API Root Information */
  async apiRoot(apiRootUrl: string): Promise<ApiRoot> {
    return (await this.#get(apiRootUrl)).body as ApiRoot;
  }

  /** §5.1 Get Collections: `{}` when there are none. */
  async collections(apiRootUrl: string): Promise<CollectionInfo[]> {
    const body = (await this.#get(new URL('collections/', apiRootUrl).toString())).body as {
      collections?: CollectionInfo[];
    };
    return body.collections ?? [];
  }

  /** §5.3 Get Objects: one page. */
  async objectsPage(
    apiRootUrl: string,
    collectionId: string,
    filters: ObjectFilters = {},
    next?: string,
  ): Promise<ObjectsPage> {
    const url = new URL(`collections/${encodeURIComponent(collectionId)}/objects/`, apiRootUrl);
    if (filters.addedAfter) url.searchParams.set('added_after', filters.addedAfter);
    if (filters.limit) url.searchParams.set('limit', String(filters.limit));
    for (const [k, v] of Object.entries(filters.match ?? {})) if (v) url.searchParams.set(`match[${k}]`, v);
    if (next) url.searchParams.set('next', next);
    const { body, headers } = await this.#get(url.toString());
    return {
      envelope: body as Envelope,
      dateAddedFirst: headers.get('x-taxii-date-added-first'),
      dateAddedLast: headers.get('x-taxii-date-added-last'),
    };
  }

  /** Every page of Get Objects, following `next` while `more` is true (§3.4.2). */
  async *objects(
    apiRootUrl: string,
    collectionId: string,
    filters: ObjectFilters = {},
  ): AsyncGenerator<ObjectsPage> {
    let next: string | undefined;
    for (;;) {
      const page = await this.objectsPage(apiRootUrl, collectionId, filters, next);
      yield page;
      if (!page.envelope.more) return;
      if (!page.envelope.next)
        throw new TaxiiClientError(200, 'more is true but next is missing', page.envelope);
      next = page.envelope.next;
    }
  }
}
