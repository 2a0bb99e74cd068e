CREATE TABLE "idempotency_keys" (
	"user_id" uuid NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"status_code" integer,
	"response" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "idempotency_keys_user_id_key_pk" PRIMARY KEY("user_id","key")
);
--> statement-breakpoint
CREATE TABLE "user_achievements" (
	"user_id" uuid NOT NULL,
	"achievement_id" text NOT NULL,
	"earned_at" timestamp with time zone NOT NULL,
	"seen_at" timestamp with time zone,
	CONSTRAINT "user_achievements_user_id_achievement_id_pk" PRIMARY KEY("user_id","achievement_id")
);
--> statement-breakpoint
CREATE TABLE "watch_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"type" text NOT NULL,
	"tmdb_id" integer NOT NULL,
	"season_number" integer,
	"episode_number" integer,
	"watched_at" timestamp with time zone NOT NULL,
	"title" text NOT NULL,
	"episode_title" text,
	"poster_path" text,
	"release_year" integer,
	"runtime_minutes" integer NOT NULL,
	"item_count" integer NOT NULL,
	"genres" jsonb NOT NULL,
	"episodes" jsonb NOT NULL,
	"series_aired" jsonb,
	"created_at" timestamp with time zone NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "watch_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	CONSTRAINT "watch_events_type_check" CHECK ("watch_events"."type" in ('movie', 'series', 'season', 'episode'))
);
--> statement-breakpoint
CREATE TABLE "watched_episodes" (
	"user_id" uuid NOT NULL,
	"tmdb_id" integer NOT NULL,
	"season_number" integer NOT NULL,
	"episode_number" integer NOT NULL,
	"views" integer NOT NULL,
	CONSTRAINT "watched_episodes_user_id_tmdb_id_season_number_episode_number_pk" PRIMARY KEY("user_id","tmdb_id","season_number","episode_number")
);
--> statement-breakpoint
CREATE TABLE "watched_titles" (
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"tmdb_id" integer NOT NULL,
	"views" integer NOT NULL,
	"items" integer NOT NULL,
	"minutes" integer NOT NULL,
	"genres" jsonb NOT NULL,
	"release_year" integer,
	CONSTRAINT "watched_titles_user_id_kind_tmdb_id_pk" PRIMARY KEY("user_id","kind","tmdb_id"),
	CONSTRAINT "watched_titles_kind_check" CHECK ("watched_titles"."kind" in ('movie', 'series'))
);
--> statement-breakpoint
CREATE TABLE "watchlist_items" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"media_type" text NOT NULL,
	"tmdb_id" integer NOT NULL,
	"status" text NOT NULL,
	"title" text NOT NULL,
	"poster_path" text,
	"release_date" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "watchlist_items_media_type_check" CHECK ("watchlist_items"."media_type" in ('movie', 'series')),
	CONSTRAINT "watchlist_items_status_check" CHECK ("watchlist_items"."status" in ('want_to_watch', 'watched'))
);
--> statement-breakpoint
ALTER TABLE "idempotency_keys" ADD CONSTRAINT "idempotency_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "user_achievements" ADD CONSTRAINT "user_achievements_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watch_events" ADD CONSTRAINT "watch_events_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watched_episodes" ADD CONSTRAINT "watched_episodes_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watched_titles" ADD CONSTRAINT "watched_titles_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "watchlist_items" ADD CONSTRAINT "watchlist_items_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_idempotency_keys_expires" ON "idempotency_keys" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "idx_watch_events_user_watched" ON "watch_events" USING btree ("user_id","watched_at" DESC NULLS LAST,"id" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_watch_events_user_title" ON "watch_events" USING btree ("user_id","tmdb_id","seq");--> statement-breakpoint
CREATE UNIQUE INDEX "uq_watchlist_items_user_title" ON "watchlist_items" USING btree ("user_id","media_type","tmdb_id");--> statement-breakpoint
CREATE INDEX "idx_watchlist_items_user_updated" ON "watchlist_items" USING btree ("user_id","updated_at" DESC NULLS LAST,"id" DESC NULLS LAST);