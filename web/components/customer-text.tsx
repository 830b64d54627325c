// Customer-supplied text (model, environment, project and key names): isolated from the surrounding text
// direction, so a U+202E in a value cannot reorder what is shown around it, and truncated with the full
// value on hover.

/** Inline, direction-isolated, truncated text with its full value as the tooltip. */
export function CustomerText({
  value,
  fallback = '—',
  className = '',
  maxWidth = 'max-w-[16rem]',
}: {
  value: string | null | undefined;
  fallback?: string;
  className?: string;
  maxWidth?: string;
}) {
  if (value === null || value === undefined || value === '') return <span>{fallback}</span>;
  return (
    <bdi title={value} className={`customer-text ${maxWidth} ${className}`}>
      {value}
    </bdi>
  );
}
