/**
 * The AWS SDK warns at its first client that its releases after January 2027 need Node 22. The warning is
 * harmless here (the pinned SDK runs on Node 20) and would bury the URL and tokens `npm start` prints.
 */
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
