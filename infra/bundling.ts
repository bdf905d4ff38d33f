/**
 * How every Lambda function is bundled (esbuild, no Docker), shared by the CDK stack and `npm run bench` so that
 * the bundle the benchmark sizes and loads is the one that deploys. ADR 0017 says why the AWS SDK is left to the
 * Lambda runtime and why zod is imported as a namespace.
 */
export const LAMBDA_BUNDLE = {
  target: 'node22',
  format: 'esm',
  mainFields: ['module', 'main'],
  /** Provided by the Lambda Node.js runtime; every other dependency is bundled at the lockfile's version. */
  external: ['@aws-sdk/*'],
  banner:
    "import { createRequire as __createRequire } from 'module'; const require = __createRequire(import.meta.url);",
} as const;

/** The largest minified bundle an API function may have (issue: lean bundles); the benchmark flags any above it. */
export const API_BUNDLE_BUDGET_BYTES = 250 * 1024;
