// For tests of apps that offer passkeys: an authenticator in process. Never imported by production code.
export * from './software-authenticator';
