-- The directory the control plane reads: users, conversations and who is in
-- them. Table and column names are the Threads backend's Prisma models
-- (User, Conversation, ConversationMember), so the same queries run against
-- the production database; these migrations create them for development,
-- tests and demos.
--
-- No FOREIGN KEY constraints: PlanetScale (Vitess) databases usually run
-- without them (Prisma relationMode = "prisma"), so every relation column
-- gets its own index instead.
--
-- Ids compare byte for byte (utf8mb4_bin): 'Team-A' and 'team-a' are two
-- conversations, not one, whatever the server's default collation.

CREATE TABLE `User` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `name` VARCHAR(191) NULL,
  -- An absolute URL, or a path the API resolves against AVATAR_BASE_URL.
  `avatar` VARCHAR(1024) NULL,
  -- The user's FCM registration tokens: a JSON array of strings (one per device).
  `fcmToken` JSON NULL,
  PRIMARY KEY (`id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE `Conversation` (
  `id` VARCHAR(191) COLLATE utf8mb4_bin NOT NULL,
  `name` VARCHAR(191) NULL,
  `avatar` VARCHAR(1024) NULL,
  PRIMARY KEY (`id`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;

CREATE TABLE `ConversationMember` (
  `id` INT NOT NULL AUTO_INCREMENT,
  `conversationId` VARCHAR(191) COLLATE utf8mb4_bin NOT NULL,
  -- NULL when the user row was deleted; such members are ignored.
  `userId` INT NULL,
  -- Members who left stay as rows with isDeleted = TRUE.
  `isDeleted` BOOLEAN NOT NULL DEFAULT FALSE,
  PRIMARY KEY (`id`),
  -- One row per member; also serves "all members of a conversation".
  UNIQUE KEY `ConversationMember_conversationId_userId_key` (`conversationId`, `userId`),
  -- "All conversations of a user".
  KEY `ConversationMember_userId_idx` (`userId`)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_unicode_ci;
