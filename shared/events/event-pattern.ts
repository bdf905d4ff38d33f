/**
 * The shape of an EventBridge event pattern, as data: the stack deploys these patterns (the Pipe's filter, the
 * bus's rules) and the local runtime evaluates them with its matcher (infra/local/pattern-matcher.ts). Types
 * only: nothing in the deployed functions evaluates a pattern.
 */

export type ExactValue = string | number | boolean | null;

export type IgnoreCase = { readonly 'equals-ignore-case': string };

export type AnythingBut =
  | string
  | number
  | readonly string[]
  | readonly number[]
  | { readonly prefix: string }
  | { readonly suffix: string }
  | { readonly 'equals-ignore-case': string | readonly string[] }
  | { readonly wildcard: string | readonly string[] };

export type NumericOperator = '=' | '<' | '<=' | '>' | '>=';

export type ContentFilter =
  | { readonly prefix: string | IgnoreCase }
  | { readonly suffix: string | IgnoreCase }
  | { readonly 'equals-ignore-case': string }
  | { readonly wildcard: string }
  | { readonly 'anything-but': AnythingBut }
  | { readonly numeric: readonly (NumericOperator | number)[] }
  | { readonly exists: boolean }
  | { readonly cidr: string };

export type Matcher = ExactValue | ContentFilter;

export interface EventPattern {
  readonly [field: string]: readonly Matcher[] | EventPattern | readonly EventPattern[];
}
