-- as Django 5.2 sends them
SELECT "django_session"."session_key", "django_session"."session_data", "django_session"."expire_date" FROM "django_session" WHERE ("django_session"."expire_date" > '<time>' AND "django_session"."session_key" = '<hidden session_key>') LIMIT 21
SELECT "auth_user"."id", "auth_user"."password", "auth_user"."last_login", "auth_user"."is_superuser", "auth_user"."username", "auth_user"."first_name", "auth_user"."last_name", "auth_user"."email", "auth_user"."is_staff", "auth_user"."is_active", "auth_user"."date_joined" FROM "auth_user" WHERE "auth_user"."id" = 5 LIMIT 21
SELECT object_pk FROM "shop_tombstone" WHERE model = 'products.Product' AND object_pk IN (2) UNION ALL SELECT "id" FROM "products_product" WHERE "id" IN (2)
SELECT "products_product"."id", "products_product"."name", "products_product"."description" FROM "products_product" WHERE "products_product"."id" = 2 ORDER BY "products_product"."name" ASC, "products_product"."id" ASC LIMIT 2
SELECT 1 AS "_check" WHERE COALESCE((5 BETWEEN 1 AND 5), 1)
BEGIN IMMEDIATE
UPDATE sqlite_sequence SET seq = 1000000000000 WHERE name = 'reviews_review' AND seq < 1000000000000
INSERT INTO sqlite_sequence (name, seq) SELECT 'reviews_review', 1000000000000 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'reviews_review')
INSERT INTO "reviews_review" ("product_id", "author_id", "rating", "text", "created") VALUES (2, 5, 5, 'Quiet and even.', '<time>') RETURNING "reviews_review"."id"
