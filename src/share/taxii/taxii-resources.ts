/**
 * The TAXII 2.1 resources that are not pages: discovery (§4.1), API root (§4.2), collections and
 * collection (§5.1, §5.2), filtered by what the caller may see. Server configuration in, resources out.
 * @module
 */
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE } from './taxii-media.js';

export interface TaxiiCollectionConfig {
  /** A UUID (the spec requires one). */
  readonly id: string;
  readonly title: string;
  readonly description?: string;
  readonly alias?: string;
  readonly canRead: boolean;
  readonly canWrite: boolean;
}

export interface TaxiiApiRootConfig {
  /** Path segment under the server, e.g. `precursor` for `/precursor/`. */
  readonly path: string;
  readonly title: string;
  readonly description?: string;
  readonly maxContentLength: number;
  readonly collections: readonly TaxiiCollectionConfig[];
}

export interface TaxiiServerConfig {
  readonly title: string;
  readonly description?: string;
  readonly contact?: string;
  /** Base URL the API roots are published under (`https://intel.example/`). */
  readonly baseUrl: string;
  readonly defaultApiRoot?: string;
  readonly apiRoots: readonly TaxiiApiRootConfig[];
}

const url = (base: string, path: string) =>
  new URL(`${path.replace(/^\/|\/$/g, '')}/`, base.endsWith('/') ? base : `${base}/`).toString();

export function discoveryResource(cfg: TaxiiServerConfig) {
  return {
    title: cfg.title,
    ...(cfg.description ? { description: cfg.description } : {}),
    ...(cfg.contact ? { contact: cfg.contact } : {}),
    ...(cfg.defaultApiRoot ? { default: url(cfg.baseUrl, cfg.defaultApiRoot) } : {}),
    api_roots: cfg.apiRoots.map((r) => url(cfg.baseUrl, r.path)),
  };
}

export function apiRootResource(root: TaxiiApiRootConfig) {
  return {
    title: root.title,
    ...(root.description ? { description: root.description } : {}),
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: root.maxContentLength,
  };
}

export function collectionResource(c: TaxiiCollectionConfig) {
  return {
    id: c.id,
    title: c.title,
    ...(c.description ? { description: c.description } : {}),
    ...(c.alias ? { alias: c.alias } : {}),
    can_read: c.canRead,
    can_write: c.canWrite,
    media_types: [STIX_MEDIA_TYPE],
  };
}

/**
 * The collections resource for a caller: only the collections `visible` admits (partner and TLP
 * grants are decided by the caller of this function); an empty list is `{}` as §5.1 prescribes.
 */
export function collectionsResource(
  root: TaxiiApiRootConfig,
  visible: (c: TaxiiCollectionConfig) => boolean,
) {
  const collections = root.collections.filter(visible).map(collectionResource);
  return collections.length ? { collections } : {};
}
