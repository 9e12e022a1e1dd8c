-- as Django 5.2 sends them
SELECT 1 AS "_check" WHERE COALESCE((5 BETWEEN 1 AND 5), 1)
INSERT INTO "reviews_review" ("product_id", "author_id", "rating", "text", "created") VALUES (2, 5, 5, 'Even grounds, quiet motor.', '<time>') RETURNING "reviews_review"."id"
