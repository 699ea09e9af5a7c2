/** The MISP JSON shapes a feed carries (MISP core format, as feeds and `/events/view` serve it). @module */

export interface MispTag {
  readonly name: string;
  readonly colour: string;
}

export interface MispAttribute {
  readonly uuid: string;
  readonly type: string;
  readonly category: string;
  readonly to_ids: boolean;
  readonly value: string;
  readonly comment: string;
  /** Epoch seconds, as a string (MISP's own serialisation). */
  readonly timestamp: string;
  readonly first_seen?: string;
  readonly last_seen?: string;
  readonly deleted?: boolean;
  readonly disable_correlation?: boolean;
  readonly object_relation?: string;
  readonly Tag?: readonly MispTag[];
}

export interface MispObject {
  readonly uuid: string;
  readonly name: string;
  readonly 'meta-category': string;
  readonly description: string;
  readonly template_uuid: string;
  readonly template_version: string;
  readonly timestamp: string;
  readonly comment: string;
  readonly deleted?: boolean;
  readonly Attribute: readonly MispAttribute[];
}

export interface MispOrg {
  readonly name: string;
  readonly uuid: string;
}

export interface MispEvent {
  readonly uuid: string;
  readonly info: string;
  /** YYYY-MM-DD */
  readonly date: string;
  readonly threat_level_id: string;
  readonly analysis: string;
  readonly published: boolean;
  readonly timestamp: string;
  readonly publish_timestamp: string;
  readonly Orgc: MispOrg;
  readonly Tag: readonly MispTag[];
  readonly Attribute: readonly MispAttribute[];
  readonly Object: readonly MispObject[];
}

/** One line of `manifest.json`: what a MISP instance reads to decide which events to fetch. */
export interface MispManifestEntry {
  readonly info: string;
  readonly date: string;
  readonly analysis: number;
  readonly threat_level_id: number;
  readonly timestamp: number;
  readonly Orgc: MispOrg;
  readonly Tag: readonly MispTag[];
}
