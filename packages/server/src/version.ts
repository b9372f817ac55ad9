/** The server's release; test/version.test.ts keeps it equal to package.json's `version`. */
export const SERVER_VERSION = '0.1.0';
