import { useState } from 'preact/hooks';
import type { ApiAnswer } from '../api.js';
import type { Problem } from '../problems.js';
import { parseReference } from '../types.js';
import { ProblemBox } from './problem-box.js';

export interface Field {
  readonly name: string;
  readonly label: string;
  readonly kind: 'integer' | 'text' | 'select' | 'reference';
  readonly required?: boolean;
  readonly initial?: string;
  readonly options?: readonly { value: string; text: string }[];
  /** An empty optional integer is sent as null (clears the value) instead of being left out. */
  readonly emptyIsNull?: boolean;
}

/**
 * One action of a page as a form: its fields, its button, and after sending either what was done or the API's
 * refusal in words. Empty optional fields are not sent.
 */
export function ActionForm({
  title,
  fields,
  submit,
  onDone,
  describe,
}: {
  title: string;
  fields: readonly Field[];
  submit: (body: Record<string, unknown>) => Promise<ApiAnswer<unknown>>;
  onDone: (data: unknown) => void;
  describe?: (data: unknown) => string;
}) {
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(fields.map((f) => [f.name, f.initial ?? f.options?.[0]?.value ?? ''])),
  );
  const [problem, setProblem] = useState<Problem | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return (
    <details class="action" data-action={id}>
      <summary>{title}</summary>
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          const body: Record<string, unknown> = {};
          for (const f of fields) {
            const raw = (values[f.name] ?? '').trim();
            if (raw === '') {
              if (f.emptyIsNull) body[f.name] = null;
              continue;
            }
            body[f.name] =
              f.kind === 'integer' ? Number(raw) : f.kind === 'reference' ? parseReference(raw) : raw;
          }
          setBusy(true);
          setProblem(null);
          setDone(null);
          const answer = await submit(body);
          setBusy(false);
          if (!answer.ok) return setProblem(answer.problem);
          setDone(describe ? describe(answer.data) : `${title}: done.`);
          onDone(answer.data);
        }}
      >
        {fields.map((f) => (
          <div class="field" key={f.name}>
            <label for={`${id}-${f.name}`}>
              {f.label}
              {f.required ? ' (required)' : ''}
            </label>
            {f.kind === 'select' ? (
              <select
                id={`${id}-${f.name}`}
                name={f.name}
                value={values[f.name]}
                onChange={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })}
              >
                {f.options?.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.text}
                  </option>
                ))}
              </select>
            ) : f.kind === 'integer' ? (
              <input
                id={`${id}-${f.name}`}
                name={f.name}
                type="number"
                step={1}
                required={f.required}
                value={values[f.name]}
                onInput={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })}
              />
            ) : (
              <input
                id={`${id}-${f.name}`}
                name={f.name}
                type="text"
                required={f.required}
                value={values[f.name]}
                onInput={(e) => setValues({ ...values, [f.name]: e.currentTarget.value })}
              />
            )}
          </div>
        ))}
        <button type="submit" disabled={busy}>
          {busy ? 'Sending…' : title}
        </button>
      </form>
      <ProblemBox problem={problem} action={title} />
      {done ? (
        <div class="done" role="status">
          {done}
        </div>
      ) : null}
    </details>
  );
}
