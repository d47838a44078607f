/** Every German namespace in one chunk, imported only when German is chosen. */
export default import.meta.glob<Record<string, unknown>>("./de/*.json", { eager: true, import: "default" });
