CREATE TABLE `captions` (
	`video_id` text NOT NULL,
	`language` text NOT NULL,
	`label` text NOT NULL,
	`revision` text NOT NULL,
	`previous_revision` text,
	`cue_count` integer NOT NULL,
	`text` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`video_id`, `language`),
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Written by hand (drizzle-kit makes neither FTS5 tables nor triggers): the search index gains a
-- fifth column, the video's captions text in every language. FTS5 cannot add a column, so the index
-- and its triggers are made again as in 0004 with `captions` added, and refilled.
DROP TRIGGER IF EXISTS `video_search_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `video_search_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `video_search_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `video_search_channel_rename`;
--> statement-breakpoint
DROP TABLE IF EXISTS `video_search`;
--> statement-breakpoint
CREATE VIRTUAL TABLE `video_search` USING fts5(
  `title`, `description`, `tags`, `channel_name`, `captions`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
CREATE TRIGGER `video_search_insert` AFTER INSERT ON `videos` BEGIN
  INSERT INTO `video_search` (`rowid`, `title`, `description`, `tags`, `channel_name`, `captions`)
  VALUES (NEW.`rowid`, NEW.`title`, NEW.`description`,
    (SELECT COALESCE(group_concat(value, ' '), '') FROM json_each(NEW.`tags`)),
    (SELECT `name` FROM `channels` WHERE `id` = NEW.`channel_id`),
    '');
END;
--> statement-breakpoint
CREATE TRIGGER `video_search_update` AFTER UPDATE OF `title`, `description`, `tags` ON `videos` BEGIN
  DELETE FROM `video_search` WHERE `rowid` = OLD.`rowid`;
  INSERT INTO `video_search` (`rowid`, `title`, `description`, `tags`, `channel_name`, `captions`)
  VALUES (NEW.`rowid`, NEW.`title`, NEW.`description`,
    (SELECT COALESCE(group_concat(value, ' '), '') FROM json_each(NEW.`tags`)),
    (SELECT `name` FROM `channels` WHERE `id` = NEW.`channel_id`),
    (SELECT substr(COALESCE(group_concat(`text`, ' '), ''), 1, 400000) FROM `captions` WHERE `video_id` = NEW.`id`));
END;
--> statement-breakpoint
CREATE TRIGGER `video_search_delete` AFTER DELETE ON `videos` BEGIN
  DELETE FROM `video_search` WHERE `rowid` = OLD.`rowid`;
END;
--> statement-breakpoint
CREATE TRIGGER `video_search_channel_rename` AFTER UPDATE OF `name` ON `channels` BEGIN
  UPDATE `video_search` SET `channel_name` = NEW.`name`
    WHERE `rowid` IN (SELECT `rowid` FROM `videos` WHERE `channel_id` = NEW.`id`);
END;
--> statement-breakpoint
-- A language added, replaced or removed: the video's captions column is made again from every
-- language it has (a cascade from a deleted video finds no index row, which is already gone). Cut
-- at 400,000 characters (at most 1.2 MB of UTF-8), so the index row stays under D1's 2 MB whatever
-- the languages hold: a row over it would fail every later edit of the video's title.
CREATE TRIGGER `captions_search_insert` AFTER INSERT ON `captions` BEGIN
  UPDATE `video_search`
    SET `captions` = (SELECT substr(COALESCE(group_concat(`text`, ' '), ''), 1, 400000) FROM `captions` WHERE `video_id` = NEW.`video_id`)
    WHERE `rowid` = (SELECT `rowid` FROM `videos` WHERE `id` = NEW.`video_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `captions_search_update` AFTER UPDATE OF `text` ON `captions` BEGIN
  UPDATE `video_search`
    SET `captions` = (SELECT substr(COALESCE(group_concat(`text`, ' '), ''), 1, 400000) FROM `captions` WHERE `video_id` = NEW.`video_id`)
    WHERE `rowid` = (SELECT `rowid` FROM `videos` WHERE `id` = NEW.`video_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `captions_search_delete` AFTER DELETE ON `captions` BEGIN
  UPDATE `video_search`
    SET `captions` = (SELECT substr(COALESCE(group_concat(`text`, ' '), ''), 1, 400000) FROM `captions` WHERE `video_id` = OLD.`video_id`)
    WHERE `rowid` = (SELECT `rowid` FROM `videos` WHERE `id` = OLD.`video_id`);
END;
--> statement-breakpoint
INSERT INTO `video_search` (`rowid`, `title`, `description`, `tags`, `channel_name`, `captions`)
  SELECT v.`rowid`, v.`title`, v.`description`,
    (SELECT COALESCE(group_concat(value, ' '), '') FROM json_each(v.`tags`)),
    c.`name`,
    (SELECT substr(COALESCE(group_concat(`text`, ' '), ''), 1, 400000) FROM `captions` WHERE `video_id` = v.`id`)
  FROM `videos` v JOIN `channels` c ON c.`id` = v.`channel_id`;
