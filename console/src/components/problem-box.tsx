import type { Problem } from '../problems.js';
import { problemCode, problemInWords } from '../problems.js';

/** A refusal in words, then the API's own detail and type; announced to screen readers as it appears. */
export function ProblemBox({ problem, action }: { problem: Problem | null; action?: string }) {
  if (!problem) return null;
  return (
    <div class="problem" role="alert">
      <strong>
        {action ? `${action} refused: ` : ''}
        {problemInWords(problem)}
      </strong>
      {problem.detail ? <p>{problem.detail}</p> : null}
      <p class="muted">
        ({problem.status || 'no answer'} {problemCode(problem)})
      </p>
    </div>
  );
}

export function Notice({ children }: { children: preact.ComponentChildren }) {
  return (
    <div class="notice" role="status">
      {children}
    </div>
  );
}
