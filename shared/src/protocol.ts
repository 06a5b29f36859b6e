// The wire protocol has one source: the client package (client/src/protocol),
// which apps install. Both services reach it through here. A relative import,
// not `@groupcall/client/protocol`: that package's exports point at its built
// JavaScript, and the services run their TypeScript sources directly.
export * from '../../client/src/protocol/index.ts';
