-- Custom SQL drizzle-kit can't express: triggers and the FTS5 index.

-- Subscriber counts follow the rows, whoever writes them (including cascades when a profile,
-- account or channel is erased).
CREATE TRIGGER `subscriptions_count_insert` AFTER INSERT ON `subscriptions` BEGIN
  UPDATE `channels` SET `subscriber_count` = `subscriber_count` + 1 WHERE `id` = NEW.`channel_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `subscriptions_count_delete` AFTER DELETE ON `subscriptions` BEGIN
  UPDATE `channels` SET `subscriber_count` = MAX(`subscriber_count` - 1, 0) WHERE `id` = OLD.`channel_id`;
END;
--> statement-breakpoint
-- Recount what existing rows say, once.
UPDATE `channels` SET `subscriber_count` =
  (SELECT COUNT(*) FROM `subscriptions` s WHERE s.`channel_id` = `channels`.`id`);
--> statement-breakpoint

-- video_tags mirrors videos.tags (a JSON array of normalised tags).
CREATE TRIGGER `video_tags_insert` AFTER INSERT ON `videos` BEGIN
  INSERT OR IGNORE INTO `video_tags` (`tag`, `video_id`) SELECT value, NEW.`id` FROM json_each(NEW.`tags`);
END;
--> statement-breakpoint
CREATE TRIGGER `video_tags_update` AFTER UPDATE OF `tags` ON `videos` BEGIN
  DELETE FROM `video_tags` WHERE `video_id` = NEW.`id`;
  INSERT OR IGNORE INTO `video_tags` (`tag`, `video_id`) SELECT value, NEW.`id` FROM json_each(NEW.`tags`);
END;
--> statement-breakpoint
INSERT OR IGNORE INTO `video_tags` (`tag`, `video_id`) SELECT j.value, v.`id` FROM `videos` v, json_each(v.`tags`) j;
--> statement-breakpoint

-- Full-text search over title, description, tags and channel name. The FTS rowid is the videos
-- table's rowid (stable: D1 does not VACUUM; if ever rebuilt, repopulate with the INSERT below).
-- Visibility, status and maturity are not indexed here: search joins videos and filters there.
CREATE VIRTUAL TABLE `video_search` USING fts5(
  `title`, `description`, `tags`, `channel_name`,
  tokenize = 'unicode61 remove_diacritics 2',
  prefix = '2 3'
);
--> statement-breakpoint
CREATE TRIGGER `video_search_insert` AFTER INSERT ON `videos` BEGIN
  INSERT INTO `video_search` (`rowid`, `title`, `description`, `tags`, `channel_name`)
  VALUES (NEW.`rowid`, NEW.`title`, NEW.`description`,
    (SELECT COALESCE(group_concat(value, ' '), '') FROM json_each(NEW.`tags`)),
    (SELECT `name` FROM `channels` WHERE `id` = NEW.`channel_id`));
END;
--> statement-breakpoint
CREATE TRIGGER `video_search_update` AFTER UPDATE OF `title`, `description`, `tags` ON `videos` BEGIN
  DELETE FROM `video_search` WHERE `rowid` = OLD.`rowid`;
  INSERT INTO `video_search` (`rowid`, `title`, `description`, `tags`, `channel_name`)
  VALUES (NEW.`rowid`, NEW.`title`, NEW.`description`,
    (SELECT COALESCE(group_concat(value, ' '), '') FROM json_each(NEW.`tags`)),
    (SELECT `name` FROM `channels` WHERE `id` = NEW.`channel_id`));
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
INSERT INTO `video_search` (`rowid`, `title`, `description`, `tags`, `channel_name`)
  SELECT v.`rowid`, v.`title`, v.`description`,
    (SELECT COALESCE(group_concat(value, ' '), '') FROM json_each(v.`tags`)),
    c.`name`
  FROM `videos` v JOIN `channels` c ON c.`id` = v.`channel_id`;
