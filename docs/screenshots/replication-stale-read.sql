-- as Django 5.2 sends them
SELECT "products_product"."id", "products_product"."name", "products_product"."description" FROM "products_product" WHERE "products_product"."id" = 2 LIMIT 21
SELECT COUNT(*) AS "__count" FROM "reviews_review" WHERE "reviews_review"."product_id" = 2
SELECT "reviews_review"."id", "reviews_review"."product_id", "reviews_review"."author_id", "reviews_review"."rating", "reviews_review"."text", "reviews_review"."created" FROM "reviews_review" WHERE "reviews_review"."product_id" = 2 ORDER BY "reviews_review"."created" DESC, "reviews_review"."id" DESC LIMIT 8
