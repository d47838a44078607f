import { useState } from "react";

/**
 * The text fields of one form, by name:
 * `const { values, field, reset } = useFormFields({ email: "", password: "" })`, then
 * `<EmailField {...field("email")} />` and `values.email` in the submit.
 */
export function useFormFields<T extends Record<string, string>>(initial: T) {
  const [values, setValues] = useState(initial);
  /** The `value` and `onChange` of the field `name`. */
  const field = (name: keyof T) => ({
    value: values[name],
    onChange: (value: string) => setValues((v) => ({ ...v, [name]: value })),
  });
  /** Puts the named fields (every field, when none is named) back to their initial values. */
  const reset = (...names: (keyof T)[]) =>
    setValues((v) => {
      const next = { ...v };
      for (const name of names.length > 0 ? names : (Object.keys(initial) as (keyof T)[])) {
        next[name] = initial[name];
      }
      return next;
    });
  return { values, field, reset };
}
