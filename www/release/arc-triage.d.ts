// Types for the arc-triage module: the <arc-triage> element (attributes, properties, event) and
// the engine API. The report's shape (Report, Diagnosis, ...) is declared once, in the engine's
// binding, and copied into this package as ./engine-types.d.ts by the build.
import type { Report, RulesetInfo, RuleInfo, SecretKind, Redacted } from './engine-types.js';

export type * from './engine-types.js';

/** The element's attributes, for frameworks that type their markup. */
export interface ArcTriageAttributes {
  /** A row id (`arc-triage --list`): that row is shown before anything is pasted. */
  rule?: string;
  /** `"row"`: only the `rule` row, no input box and nothing to copy. Default: the full widget. */
  mode?: 'row' | 'full';
  /** A smaller box, without the footer. */
  compact?: boolean | '';
  /** Default: the host page's `color-scheme`. `"system"` follows the operating system. */
  theme?: 'light' | 'dark' | 'system';
  /** The public address copied links point to (and where a reader goes if the engine cannot start). */
  'public-url'?: string;
  /** `"open"` opens the shadow root (read once, when first connected). Default: closed. */
  shadow?: 'open' | 'closed';
  /** `"off"` removes the marks that session-replay tools honour. */
  'replay-masking'?: 'on' | 'off';
}

/** The `arc-triage-report` event: fired (bubbling, composed) each time a report is shown. */
export type ArcTriageReportEvent = CustomEvent<Report>;

export declare class ArcTriageElement extends HTMLElement {
  static readonly observedAttributes: string[];
  /** The last report shown, or null. */
  readonly report: Report | null;
  /** Analyses `text` as if it had been pasted (and starts the engine if it was still waiting). */
  analyse(text: string): Promise<void>;
  addEventListener<K extends keyof ArcTriageElementEventMap>(
    type: K,
    listener: (this: ArcTriageElement, ev: ArcTriageElementEventMap[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
}

export interface ArcTriageElementEventMap extends HTMLElementEventMap {
  'arc-triage-report': ArcTriageReportEvent;
}

declare global {
  interface HTMLElementTagNameMap {
    'arc-triage': ArcTriageElement;
  }
  interface DocumentEventMap {
    'arc-triage-report': ArcTriageReportEvent;
  }
}

/** Loads and compiles the engine, once; resolves to the rule set's identity. */
export function init(): Promise<RulesetInfo>;
/** Classifies text (after `init`). The same report as the CLI's `--json`. */
export function classify(text: string): Report;
/** Classifies a file's bytes, UTF-8 or UTF-16 (after `init`). */
export function classifyBytes(bytes: Uint8Array | ArrayBuffer): Report;
/**
 * Classifies input of any size without freezing the page (in the engine's worker where the page allows
 * `worker-src blob:`, else in chunks on the page); a ZIP is read as a support bundle.
 */
export function analyse(
  input: string | Blob | Uint8Array | ArrayBuffer,
  options?: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void },
): Promise<Report>;
/** Every row the engine knows (after `init`). */
export function rules(): RuleInfo[];
/** The rule set's `{version, hash, rules}` (after `init`). */
export function ruleset(): RulesetInfo;
/**
 * Checks rule files given as `{path: text}`; throws an error naming the file, the rule and the fix.
 * The engine in this package has its rules precompiled and no rule loader: here it always throws,
 * and says to check rules with `arc-triage --check-rules DIR`.
 */
export function checkRules(files: Record<string, string>): RulesetInfo;
/** The kinds of secret a report can name, with how to rotate each. */
export function secretKinds(): SecretKind[];
/** The log with every identifier and secret replaced by a placeholder. */
export function redact(input: string | Uint8Array | ArrayBuffer): Redacted;
/** A report as a reply for a ticket or a mail. */
export function reply(report: Report, options?: { format?: 'markdown' | 'text'; identifiers?: boolean; link?: string | null }): string;
/** `#rule=<id>&v=<version>` → `{rule, version}`, or null when the address names no row. */
export function parseLink(hash: string): { rule: string | null; version: string | null; invalid?: string; badVersion?: boolean } | null;
/** The share link for a row: `href` without its fragment, plus `#rule=<id>&v=<version>`. */
export function shareLink(id: string, version: string, href?: string): string;
