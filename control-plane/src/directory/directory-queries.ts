/**
 * The directory's SQL, on the Threads backend's Prisma tables (User,
 * Conversation, ConversationMember). Parameters are named (:name) and filled
 * in by the PlanetScale driver. `User` is quoted because USER is also a SQL
 * keyword. Active members are rows with isDeleted = FALSE whose user still
 * exists (the inner JOIN on User).
 */

/** The conversation's own row, by primary key. */
export const selectConversation = `
  SELECT c.id, c.name, c.avatar
  FROM Conversation c
  WHERE c.id = :conversationId`;

/**
 * Every active member with name, avatar and tokens: one query whatever the
 * group size (the unique (conversationId, userId) index finds the rows).
 */
export const selectActiveMembers = `
  SELECT u.id, u.name, u.avatar, u.fcmToken
  FROM ConversationMember m
  JOIN \`User\` u ON u.id = m.userId
  WHERE m.conversationId = :conversationId AND m.isDeleted = FALSE
  ORDER BY m.id`;

/**
 * The conversation plus one user if they are an active member, in one row:
 * no row means no conversation; NULL user columns mean not a member.
 */
export const selectMembership = `
  SELECT c.id AS conversationId, c.name AS conversationName, c.avatar AS conversationAvatar,
         u.id AS userId, u.name AS userName, u.avatar AS userAvatar, u.fcmToken
  FROM Conversation c
  LEFT JOIN ConversationMember m
    ON m.conversationId = c.id AND m.userId = :userId AND m.isDeleted = FALSE
  LEFT JOIN \`User\` u ON u.id = m.userId
  WHERE c.id = :conversationId
  LIMIT 1`;

/** Locks the user's row until the transaction ends, so concurrent removals cannot lose each other's writes. */
export const selectTokensForUpdate = `
  SELECT fcmToken FROM \`User\` WHERE id = :userId FOR UPDATE`;

export const updateTokens = `
  UPDATE \`User\` SET fcmToken = :fcmToken WHERE id = :userId`;
