/**
 * Policy as data: load a policy file (compiling each CEL condition once) and evaluate it on a subject.
 * Evaluation returns the strongest outcome on the ladder and every rule's trace — matched or not, the
 * values its condition read, and a coded failure when it could not be evaluated. A failing rule never
 * stops the others.
 * @module
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { PrecursorError } from '../domain/index.js';
import {
  DEFAULT_SLA,
  ladderRank,
  type LadderOutcome,
  type Outcome,
  type PolicyFile,
  PolicyFileSchema,
  PRIORITIES,
  type Priority,
  priorityRank,
  durationMs,
} from './policy-schema.js';
import { type PolicySubject, policyContext, policyEnvironment, VARIABLE_ROOTS } from './policy-vars.js';

type Condition = (ctx: Record<string, unknown>) => unknown;

export interface CompiledRule {
  readonly id: string;
  readonly description?: string;
  readonly when: string;
  readonly outcome: Outcome;
  readonly priority?: Priority;
  readonly queue?: string;
  readonly target?: string;
  readonly enabled: boolean;
  /** Variable paths the condition reads (`risk`, `members.account`), shown in its trace. */
  readonly reads: readonly Read[];
  readonly condition: Condition;
}

export interface Policy {
  readonly name: string;
  readonly revision: string;
  /** sha256 of the file's text: which exact policy made a decision. */
  readonly hash: string;
  readonly queues: readonly string[];
  /** Respond / resolve deadlines per priority, in milliseconds. */
  readonly sla: Readonly<Record<Priority, { respondMs: number; resolveMs: number }>>;
  readonly rules: readonly CompiledRule[];
}

export interface RuleFailure {
  readonly code: 'RULE_FAILED';
  readonly reason: string;
}

export interface RuleTrace {
  readonly rule: string;
  readonly outcome: Outcome;
  readonly matched: boolean;
  /** False for a rule switched off in the file (it is still traced, so the record is complete). */
  readonly enabled: boolean;
  readonly values: Readonly<Record<string, unknown>>;
  readonly error?: RuleFailure;
}

export interface PolicyEvaluation {
  readonly policy: { readonly name: string; readonly revision: string; readonly hash: string };
  readonly subject: { readonly kind: PolicySubject['kind']; readonly id: string };
  readonly outcome: LadderOutcome;
  /** A `suppress` rule matched: the outcome is `allow` whatever else matched. */
  readonly suppressed: boolean;
  /** The rule that set the outcome (none when nothing matched). */
  readonly decidedBy?: string;
  readonly priority?: Priority;
  readonly queue?: string;
  /** The webhook the deciding hold-and-review or block rule asks to act, if it names one. */
  readonly target?: string;
  readonly notify: readonly { readonly rule: string; readonly target: string }[];
  readonly failures: number;
  readonly trace: readonly RuleTrace[];
}

const invalid = (source: string, message: string, details: Record<string, unknown> = {}) =>
  new PrecursorError('CONFIG_INVALID', `policy ${source}: ${message}`, {
    details: { file: source, ...details },
  });

// The YAML parser loads when a policy is read, not with every command that imports the review stage.
const requireCjs = createRequire(import.meta.url);
const parseDocument: typeof import('yaml').parseDocument = (...args) =>
  (requireCjs('yaml') as typeof import('yaml')).parseDocument(...args);

/** Parse, validate and compile a policy file's text. Throws CONFIG_INVALID naming the rule at fault. */
export function loadPolicy(text: string, source = '<policy>'): Policy {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw invalid(source, `not valid YAML: ${e.message.split('\n')[0]}`, { line: e.linePos?.[0]?.line });
  }
  const raw = doc.toJS() as unknown;
  const parsed = PolicyFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = describePath(raw, issue.path);
    throw invalid(source, `${where}: ${issue.message}`, { path: issue.path.join('.') });
  }
  const file = parsed.data;
  checkReferences(file, source);
  const checker = policyEnvironment(true);
  const runner = policyEnvironment(false);
  const rules = file.rules.map((r): CompiledRule => {
    let condition: ReturnType<typeof runner.parse>;
    try {
      condition = runner.parse(r.when);
    } catch (err) {
      throw invalid(source, `rule "${r.id}": condition does not parse: ${firstLine(err)}`, { rule: r.id });
    }
    const check = checker.check(r.when);
    if (!check.valid) {
      throw invalid(source, `rule "${r.id}": ${firstLine(check.error)}`, { rule: r.id });
    }
    if (check.type !== 'bool' && check.type !== 'dyn') {
      throw invalid(source, `rule "${r.id}": condition is ${check.type}, not bool`, { rule: r.id });
    }
    return {
      id: r.id,
      when: r.when,
      outcome: r.outcome,
      enabled: r.enabled,
      ...(r.description === undefined ? {} : { description: r.description }),
      ...(r.priority === undefined ? {} : { priority: r.priority }),
      ...(r.queue === undefined ? {} : { queue: r.queue }),
      ...(r.target === undefined ? {} : { target: r.target }),
      reads: readsOf(condition.ast),
      condition: condition as unknown as Condition,
    };
  });
  const sla = Object.fromEntries(
    PRIORITIES.map((p) => {
      const s = file.sla[p] ?? DEFAULT_SLA[p];
      return [p, { respondMs: durationMs(s.respond), resolveMs: durationMs(s.resolve) }];
    }),
  ) as Policy['sla'];
  return {
    name: file.name,
    revision: file.revision,
    hash: createHash('sha256').update(text).digest('hex'),
    queues: Object.keys(file.queues),
    sla,
    rules,
  };
}

const CASE_OUTCOMES: ReadonlySet<Outcome> = new Set(['open-case', 'hold-and-review', 'block']);
/** Outcomes that can ask a webhook to act: notify must, a hold or a block may (the provider's hook). */
const TARGET_OUTCOMES: ReadonlySet<Outcome> = new Set(['notify', 'hold-and-review', 'block']);

function checkReferences(file: PolicyFile, source: string): void {
  const seen = new Set<string>();
  for (const r of file.rules) {
    const bad = (m: string) => invalid(source, `rule "${r.id}": ${m}`, { rule: r.id });
    if (seen.has(r.id)) throw bad('duplicate rule id');
    seen.add(r.id);
    if (CASE_OUTCOMES.has(r.outcome)) {
      if (r.priority === undefined || r.queue === undefined)
        throw bad(`${r.outcome} needs a priority and a queue`);
      if (!(r.queue in file.queues)) throw bad(`queue "${r.queue}" is not declared under queues`);
    } else if (r.priority !== undefined || r.queue !== undefined) {
      throw bad(`${r.outcome} takes no priority or queue`);
    }
    if (r.outcome === 'notify' && r.target === undefined) throw bad('notify needs a target');
    if (!TARGET_OUTCOMES.has(r.outcome) && r.target !== undefined) throw bad(`${r.outcome} takes no target`);
  }
}

/** `rules[3].priority` → `rule "big-campaign": priority`, so the message names the rule. */
function describePath(raw: unknown, path: readonly PropertyKey[]): string {
  if (path[0] === 'rules' && typeof path[1] === 'number') {
    const rule = (raw as { rules?: { id?: unknown }[] }).rules?.[path[1]];
    const name = typeof rule?.id === 'string' ? `rule "${rule.id}"` : `rule #${path[1] + 1}`;
    const rest = path.slice(2).join('.');
    return rest ? `${name}: ${rest}` : name;
  }
  return path.length === 0 ? 'file' : path.join('.');
}

const firstLine = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0] ?? '';

interface Node {
  readonly op: string;
  readonly args: unknown;
}

/** A variable path a condition reads: its label as written (`signalMembers["x.y"]`) and its steps. */
export interface Read {
  readonly label: string;
  readonly steps: readonly string[];
}

/** The variable paths an expression reads, longest form (`members.account`, `signalMembers["x"]`). */
function readsOf(ast: unknown): Read[] {
  const out = new Map<string, Read>();
  const pathOf = (n: Node): Read | undefined => {
    if (n.op === 'id') {
      const name = n.args as string;
      return VARIABLE_ROOTS.has(name) ? { label: name, steps: [name] } : undefined;
    }
    if (n.op === '.' || n.op === '.?') {
      const [inner, field] = n.args as [Node, string];
      const p = pathOf(inner);
      return p && { label: `${p.label}.${field}`, steps: [...p.steps, field] };
    }
    if (n.op === '[]') {
      const [inner, index] = n.args as [Node, Node];
      const p = pathOf(inner);
      if (p && index.op === 'value' && typeof index.args === 'string')
        return { label: `${p.label}[${JSON.stringify(index.args)}]`, steps: [...p.steps, index.args] };
    }
    return undefined;
  };
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) visit(x);
      return;
    }
    if (v === null || typeof v !== 'object' || !('op' in v)) return;
    const p = pathOf(v as Node);
    if (p !== undefined) out.set(p.label, p);
    else visit((v as Node).args);
  };
  visit(ast);
  return [...out.values()];
}

function readValue(ctx: Record<string, unknown>, steps: readonly string[]): unknown {
  let v: unknown = ctx;
  for (const s of steps)
    v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined;
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Evaluate every rule on one subject. Never throws for a rule's sake. */
export function evaluatePolicy(policy: Policy, subject: PolicySubject): PolicyEvaluation {
  return evaluateContext(policy, subject, policyContext(subject));
}

/** As `evaluatePolicy`, with the context already built (the bench and the dry run reuse it). */
export function evaluateContext(
  policy: Policy,
  subject: Pick<PolicySubject, 'kind' | 'id'>,
  ctx: Record<string, unknown>,
): PolicyEvaluation {
  const trace: RuleTrace[] = [];
  const notify: { rule: string; target: string }[] = [];
  let outcome: LadderOutcome = 'allow';
  let best: CompiledRule | undefined;
  let suppressor: CompiledRule | undefined;
  let failures = 0;
  for (const rule of policy.rules) {
    const values: Record<string, unknown> = {};
    for (const r of rule.reads) values[r.label] = readValue(ctx, r.steps);
    if (!rule.enabled) {
      trace.push({ rule: rule.id, outcome: rule.outcome, matched: false, enabled: false, values });
      continue;
    }
    let result: unknown;
    try {
      result = rule.condition(ctx);
    } catch (err) {
      failures++;
      const error: RuleFailure = { code: 'RULE_FAILED', reason: firstLine(err) };
      trace.push({ rule: rule.id, outcome: rule.outcome, matched: false, enabled: true, values, error });
      continue;
    }
    if (typeof result !== 'boolean') {
      failures++;
      const error: RuleFailure = { code: 'RULE_FAILED', reason: `condition gave ${typeof result}, not bool` };
      trace.push({ rule: rule.id, outcome: rule.outcome, matched: false, enabled: true, values, error });
      continue;
    }
    trace.push({ rule: rule.id, outcome: rule.outcome, matched: result, enabled: true, values });
    if (!result) continue;
    if (rule.outcome === 'suppress') suppressor ??= rule;
    else if (rule.outcome === 'notify') notify.push({ rule: rule.id, target: rule.target! });
    else if (stronger(rule, best)) {
      best = rule;
      outcome = rule.outcome as LadderOutcome;
    }
  }
  const head = {
    policy: { name: policy.name, revision: policy.revision, hash: policy.hash },
    subject: { kind: subject.kind, id: subject.id },
    failures,
    trace,
  };
  if (suppressor !== undefined) {
    return { ...head, outcome: 'allow', suppressed: true, decidedBy: suppressor.id, notify: [] };
  }
  return {
    ...head,
    outcome,
    suppressed: false,
    ...(best === undefined ? {} : { decidedBy: best.id }),
    ...(best?.priority === undefined ? {} : { priority: best.priority }),
    ...(best?.queue === undefined ? {} : { queue: best.queue }),
    ...(best?.target === undefined ? {} : { target: best.target }),
    notify,
  };
}

/** Higher on the ladder wins; on the same rung the more urgent priority; then the earlier rule. */
function stronger(rule: CompiledRule, best: CompiledRule | undefined): boolean {
  const r = ladderRank(rule.outcome as LadderOutcome);
  if (best === undefined) return true;
  const b = ladderRank(best.outcome as LadderOutcome);
  if (r !== b) return r > b;
  return priorityRank(rule.priority ?? 'low') < priorityRank(best.priority ?? 'low');
}
