import { z } from 'zod';

/**
 * The directory data file format (shared/demo/directory.json): what the
 * in-memory directory loads, the database seed writes, and the demo page reads.
 * No file access here, so browsers can use it too.
 */
export const DirectoryDataSchema = z.object({
  users: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      avatar: z.string().nullable(),
      fcmTokens: z.array(z.string()).default([]),
    }),
  ),
  conversations: z.array(
    z.object({
      id: z.string(),
      name: z.string().nullable(),
      avatar: z.string().nullable(),
      members: z.array(z.string()),
    }),
  ),
});
export type DirectoryData = z.infer<typeof DirectoryDataSchema>;
