/** Size limits of wire fields, shared by the schemas and the server's own guards. */
export const FieldLimit = {
  /** User ids and conversation ids. */
  idLength: 128,
  /** mediasoup object ids (UUIDs) with headroom. */
  mediasoupIdLength: 64,
  nameLength: 256,
  urlLength: 2048,
  messageLength: 1024,
  /** Signed tickets issued by the control plane. */
  ticketLength: 8192,
  /** Entries of one `audioLevels` event (the loudest few). */
  audioLevelEntries: 10,
} as const;
