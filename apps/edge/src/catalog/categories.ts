/**
 * Categories: a small site-wide taxonomy that admins manage (`category.manage`). A video names at
 * most one; deleting a category clears it from its videos in the same D1 batch.
 */
import { asc, eq, or } from "drizzle-orm";
import { sealQuietly } from "../audit/chain";
import { auditActorOf, auditInsert, auditInsertIf } from "../audit/log";
import { authorize } from "../auth/permissions";
import { categories, trending, videos } from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Services } from "../services";
import type { Actor } from "../types";
import type { CategoryCreate, CategoryPatch, CategoryView } from "./schemas";

type CategoryRow = typeof categories.$inferSelect;

const view = (c: CategoryRow): CategoryView => ({
  id: c.id,
  slug: c.slug,
  name: c.name,
  position: c.position,
});

const slugTaken = (slug: string) =>
  new AppError("conflict", `The slug "${slug}" is taken by another category`);

export async function listCategories(s: Services) {
  const rows = await s.db
    .select()
    .from(categories)
    .orderBy(asc(categories.position), asc(categories.name), asc(categories.id))
    .all();
  return { items: rows.map(view) };
}

export async function createCategory(s: Services, actor: Actor, input: CategoryCreate) {
  authorize(actor, "category.manage");
  const values = { id: newId("cat"), slug: input.slug, name: input.name, position: input.position ?? 0 };
  try {
    // The audit row in the insert's batch: a taken slug fails both.
    const [[row]] = await s.db.batch([
      s.db.insert(categories).values(values).returning(),
      auditInsert(s, auditActorOf(actor), {
        action: "admin.category.create",
        targetType: "category",
        targetId: values.id,
        after: { slug: values.slug, name: values.name, position: values.position },
      }),
    ]);
    await sealQuietly(s, "admin.category.create");
    return view(row as CategoryRow);
  } catch (error) {
    if (uniqueViolation(error)) throw slugTaken(input.slug);
    throw error;
  }
}

export async function updateCategory(s: Services, actor: Actor, categoryId: string, patch: CategoryPatch) {
  authorize(actor, "category.manage");
  const [current] = await s.db.select().from(categories).where(eq(categories.id, categoryId));
  if (!current) throw new AppError("not_found", "No such category");
  const fields = Object.keys(patch) as (keyof CategoryPatch)[];
  try {
    // Audited only if the category is still there when the batch runs (auditInsertIf, before the update).
    const [, [row]] = await s.db.batch([
      auditInsertIf(
        s,
        auditActorOf(actor),
        {
          action: "admin.category.update",
          targetType: "category",
          targetId: categoryId,
          before: Object.fromEntries(fields.map((f) => [f, current[f]])),
          after: Object.fromEntries(fields.map((f) => [f, patch[f] ?? null])),
        },
        s.db.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId)),
      ),
      s.db
        .update(categories)
        .set({ ...patch, updatedAt: Date.now() })
        .where(eq(categories.id, categoryId))
        .returning(),
    ]);
    if (!row) throw new AppError("not_found", "No such category");
    await sealQuietly(s, "admin.category.update");
    return view(row);
  } catch (error) {
    if (patch.slug !== undefined && uniqueViolation(error)) throw slugTaken(patch.slug);
    throw error;
  }
}

/** Deletes the category; its videos (and trending rows scoped to it) let go of it in the same batch. */
export async function deleteCategory(s: Services, actor: Actor, categoryId: string): Promise<void> {
  authorize(actor, "category.manage");
  const [current] = await s.db.select().from(categories).where(eq(categories.id, categoryId));
  if (!current) throw new AppError("not_found", "No such category");
  const [, deleted] = await s.db.batch([
    // Before the delete, so it sees the row; only one of two admins deleting at once is audited.
    auditInsertIf(
      s,
      auditActorOf(actor),
      {
        action: "admin.category.delete",
        targetType: "category",
        targetId: categoryId,
        before: { slug: current.slug, name: current.name, position: current.position },
      },
      s.db.select({ id: categories.id }).from(categories).where(eq(categories.id, categoryId)),
    ),
    s.db.delete(categories).where(eq(categories.id, categoryId)).returning({ id: categories.id }),
    s.db.update(videos).set({ categoryId: null }).where(eq(videos.categoryId, categoryId)),
    s.db.delete(trending).where(eq(trending.scope, categoryId)),
  ]);
  if (deleted.length === 0) throw new AppError("not_found", "No such category");
  await sealQuietly(s, "admin.category.delete");
}

/** The id of the category `ref` names (an id or a slug), or null when there is none. */
export async function resolveCategory(s: Services, ref: string): Promise<string | null> {
  const row = await s.db
    .select({ id: categories.id })
    .from(categories)
    .where(or(eq(categories.id, ref), eq(categories.slug, ref.trim().toLowerCase())))
    .get();
  return row?.id ?? null;
}

/** 400 (validation, at `path`) unless the category exists: a video may only name a real one. */
export async function assertCategoryExists(s: Services, categoryId: string, path: string): Promise<void> {
  const row = await s.db
    .select({ id: categories.id })
    .from(categories)
    .where(eq(categories.id, categoryId))
    .get();
  if (!row) {
    throw new AppError("validation_failed", "Some fields are missing or invalid.", {
      errors: [{ path, message: "No such category" }],
    });
  }
}
