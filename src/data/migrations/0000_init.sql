CREATE TABLE "app_settings" (
	"key" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "interesting_info" (
	"entity_type" text NOT NULL,
	"entity_id" integer NOT NULL,
	"name" text NOT NULL,
	"data" jsonb NOT NULL,
	"fetched_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "interesting_info_entity_type_entity_id_pk" PRIMARY KEY("entity_type","entity_id")
);
--> statement-breakpoint
CREATE TABLE "people" (
	"id" integer PRIMARY KEY NOT NULL,
	"name" text,
	"date_of_birth" date,
	"date_of_death" date,
	"popularity" real DEFAULT 0 NOT NULL,
	"fetched" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "season_cast_cache" (
	"series_id" integer NOT NULL,
	"season_number" integer NOT NULL,
	"cast_data" jsonb NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "season_cast_cache_series_id_season_number_pk" PRIMARY KEY("series_id","season_number")
);
--> statement-breakpoint
CREATE TABLE "sync_job_status" (
	"id" serial PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"message" text,
	"updated_ids" integer[],
	"tmdb_change_count" integer DEFAULT 0 NOT NULL,
	"updated_count" integer DEFAULT 0 NOT NULL,
	"duration_ms" integer,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sync_job_status_status_check" CHECK ("sync_job_status"."status" in ('running', 'completed', 'failed'))
);
--> statement-breakpoint
CREATE INDEX "idx_interesting_info_expires" ON "interesting_info" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "idx_people_stale" ON "people" USING btree ("id") WHERE "people"."fetched" = false;--> statement-breakpoint
CREATE INDEX "idx_season_cast_cache_expires" ON "season_cast_cache" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "idx_sync_job_status_resume" ON "sync_job_status" USING btree ("type","status","end_date");