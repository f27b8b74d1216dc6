/**
 * A row of large tappable chips that wraps on a narrow screen (kinds, categories, rating tags). Single choice
 * with `value`, several with `values`.
 */
export function ChoiceChips<V extends string>({
  options,
  value,
  onChange,
  testId,
}: {
  options: ReadonlyArray<{ value: V; label: string }>;
  value?: V | V[];
  onChange?: (v: V) => void;
  testId: string;
}) {
  const chosen = (v: V) => (Array.isArray(value) ? value.includes(v) : value === v);
  return (
    <div className="m-chips" data-testid={testId} role="group">
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          className={chosen(o.value) ? 'm-chip active' : 'm-chip'}
          aria-pressed={chosen(o.value)}
          onClick={() => onChange?.(o.value)}
          data-testid={`${testId}-${o.value}`}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
