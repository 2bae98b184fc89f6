// What the public portal (/o/<org>, no sign-in) may know about an organisation's service
// catalogue: published service cards and the published service charter. Nothing here is
// personal data; the portal reads these through public.server.ts only.

export const SERVICE_SEGMENTS = ["G2C", "G2B", "G2G"] as const;
/** Customer segment (DOMAIN.md §1): individuals G2C, business G2B, government G2G. */
export type ServiceSegment = (typeof SERVICE_SEGMENTS)[number];

export const SERVICE_CHANNELS = ["traditional", "partial", "digital"] as const;
/** Delivery channel (guide §2.5): traditional, partially digital, fully digital self-service. */
export type ServiceChannel = (typeof SERVICE_CHANNELS)[number];

export interface Localised {
  ar: string;
  en: string;
}

/** A list written one item a line (conditions, documents, values, …), in both languages. */
export interface LocalisedList {
  ar: string[];
  en: string[];
}

/** One published service card in the catalogue list. */
export interface PublicService {
  /** Service code, e.g. "د خ م-16-S-1" (guide §2: initials – unit code – S – serial). */
  code: string;
  name: Localised;
  description: Localised;
  /** Grouping on the portal; null when the organisation did not categorise the service. */
  category: Localised | null;
  segment: ServiceSegment;
  channel: ServiceChannel;
  fees: Localised;
  /** Estimated time to complete, minutes; null when not documented. */
  estimatedMinutes: number | null;
}

/** Every field of the published service card (guide §3.3) plus what the portal needs to start a request. */
export interface PublicServiceDetail extends PublicService {
  /** The government body providing the service (الجهة الحكومية). */
  entity: Localised;
  /** The responsible unit (الإدارة المختصة); null when none is set. */
  responsibleUnit: Localised | null;
  /** الاشتراطات, one item a line. */
  conditions: LocalisedList;
  /** الوثائق المطلوبة, one item a line. */
  requiredDocuments: LocalisedList;
  /** Where/how the channel is reached (e.g. "مراكز الخدمة، الموقع الإلكتروني"); may be empty. */
  channelDetails: Localised;
  /** معلومات التواصل (hotline, email of the service desk — never a person's private data). */
  contact: Localised;
  /** منتج الخدمة النهائي. */
  finalProduct: Localised;
  level: "main" | "sub";
  /** Code of the main service when this is a sub-service and the parent is published. */
  parentCode: string | null;
  /** Key of the workflow definition a request for this service starts; null when none is linked. */
  workflowKey: string | null;
  /**
   * Fully digital self-service: channel "digital" and a linked workflow that has a published
   * version — the portal lets citizens submit through that workflow's start form.
   */
  digital: boolean;
  /** Published version of the card (1, 2, …) and when it was published (ISO 8601). */
  version: number;
  publishedAt: string;
}

/** One commitment of the provider under an axis (guide §4.2), with its service levels. */
export interface CharterCommitment {
  commitment: Localised;
  serviceLevels: LocalisedList;
}

export interface CharterAxis {
  /** e.g. "معرفة المتعاملين", "شفافية في تقديم الخدمات". */
  axis: Localised;
  commitments: CharterCommitment[];
}

/** The published service charter (ميثاق تقديم الخدمات للمتعاملين), latest version. */
export interface PublicCharter {
  version: number;
  publishedAt: string;
  title: Localised;
  /** المقدمة: the goals of the charter. */
  introduction: Localised;
  /** The organisation's values, one a line. */
  values: LocalisedList;
  axes: CharterAxis[];
  /** دور والتزام المتعاملين, one a line. */
  customerObligations: LocalisedList;
  /** Signature block: name and title of the signatory, date (YYYY-MM-DD) or null. */
  signature: { name: Localised; title: Localised; date: string | null };
}
