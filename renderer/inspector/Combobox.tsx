/**
 * A text input with a list of choices (WAI-ARIA combobox with a listbox popup): typing filters the
 * choices and any text is allowed; Down/Up move through them (Down opens the list), Enter takes the
 * highlighted one, Escape closes the list; a click takes one.
 */
import { useState, type ReactNode } from 'react';

export interface ComboboxProps {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  placeholder?: string;
  invalid?: boolean;
  /** Id of the element describing the field's problem. */
  describedBy?: string;
  onChange(text: string): void;
  /** A line under each option (a column's type). */
  detail?: (option: string) => ReactNode;
}

/** The choices that hold the typed text (all of them when the text is one of them, or empty). */
export function filterOptions(options: readonly string[], text: string): readonly string[] {
  const t = text.trim().toLowerCase();
  if (t === '' || options.includes(text)) return options;
  const starts = options.filter((o) => o.toLowerCase().startsWith(t));
  return [...starts, ...options.filter((o) => !starts.includes(o) && o.toLowerCase().includes(t))];
}

export function Combobox({
  id,
  label,
  value,
  options,
  placeholder,
  invalid,
  describedBy,
  onChange,
  detail,
}: ComboboxProps) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [filter, setFilter] = useState(true);
  const shown = filter ? filterOptions(options, value) : options;
  const listId = `${id}-listbox`;
  const expanded = open && shown.length > 0;
  const take = (o: string) => {
    onChange(o);
    setOpen(false);
    setActive(-1);
  };
  return (
    <div className="combobox">
      <input
        id={id}
        data-testid={id}
        type="text"
        role="combobox"
        aria-label={label}
        aria-expanded={expanded}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        autoComplete="off"
        spellCheck={false}
        value={value}
        placeholder={placeholder}
        onChange={(e) => {
          onChange(e.target.value);
          setFilter(true);
          setOpen(true);
          setActive(-1);
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
            e.preventDefault();
            if (!open) {
              setFilter(false);
              setOpen(true);
              const at = options.indexOf(value);
              setActive(at >= 0 ? at : e.key === 'ArrowDown' ? 0 : options.length - 1);
              return;
            }
            const n = shown.length;
            if (n > 0) setActive((a) => (e.key === 'ArrowDown' ? (a + 1) % n : (a <= 0 ? n : a) - 1));
          } else if (e.key === 'Enter' && expanded && active >= 0) {
            e.preventDefault();
            take(shown[active]!);
          } else if (e.key === 'Escape' && expanded) {
            e.preventDefault();
            e.stopPropagation();
            setOpen(false);
          }
        }}
      />
      {expanded && (
        <ul className="combobox-list" id={listId} role="listbox" aria-label={label} data-testid={listId}>
          {shown.map((o, i) => (
            <li
              key={o}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              data-value={o}
              onMouseDown={(e) => {
                e.preventDefault();
                take(o);
              }}
            >
              <span>{o}</span>
              {detail && <span className="combobox-detail">{detail(o)}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
