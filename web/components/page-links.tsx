// Keyset-pagination links under a table: back to the first page (only when not on it), next page or "end of …".
import { Text } from '@tremor/react';
import Link from 'next/link';

const LINK = 'text-sm font-medium text-blue-700 hover:underline dark:text-blue-400';

export function PageLinks(props: {
  /** Where the first page is, shown only when the current page is not it. */
  first: { href: string; label: string } | null;
  /** The next page's URL, or null on the last page. */
  next: { href: string; label: string } | null;
  /** What the last page says instead of a next link. */
  end: string;
}) {
  return (
    <>
      {props.first ? (
        <Link className={LINK} href={props.first.href}>
          {props.first.label}
        </Link>
      ) : null}
      {props.next ? (
        <Link className={LINK} href={props.next.href} data-testid="next-page">
          {props.next.label}
        </Link>
      ) : (
        <Text>{props.end}</Text>
      )}
    </>
  );
}
