/**
 * The inspector's fields that name something of the database (FieldHint.schema): tables and
 * columns as comboboxes of the schema the node sees, a name that is not there flagged at once with
 * the closest ones; the column type as a picker of the database's types (any type of the grammar
 * may be typed; the param schema checks it); the default as people type it, with the `DEFAULT ...`
 * the plan renders for it beside the field.
 */
import { useState } from 'react';
import type { FieldHint, SchemaRef } from '../../shared/nodes/index.ts';
import { closestNames } from './closest-names.ts';
import { Combobox } from './Combobox.tsx';
import { formatDefaultText, parseDefaultText } from './default-text.ts';
import { columnsOf, type SchemaView } from './schema-view.ts';

export interface SchemaFieldProps {
  hint: FieldHint & { schema: SchemaRef };
  params: Record<string, unknown>;
  view: SchemaView;
  onChange(value: unknown): void;
}

/** Why a name the field holds is not in the schema the node sees, and the closest names; null when it is (or nothing can be told). */
export function unknownName(
  ref: SchemaRef,
  params: Record<string, unknown>,
  name: unknown,
  view: SchemaView,
): { message: string; suggestions: string[] } | null {
  if (typeof name !== 'string' || name === '' || name.startsWith(':') || !view.before) return null;
  if ((ref.kind === 'table' || ref.kind === 'column') && ref.newFor?.includes(String(params.operation))) return null;
  if (ref.kind === 'table') {
    const names = view.before.map((t) => t.name);
    if (names.includes(name)) return null;
    return { message: `No table "${name}" on ${view.where}.`, suggestions: closestNames(name, names) };
  }
  if (ref.kind === 'column') {
    const columns = columnsOf(view.before, params[ref.table]);
    if (!columns) return null; // The table's own field says it is not there.
    const names = columns.map((c) => c.name);
    if (names.includes(name)) return null;
    return {
      message: `No column "${name}" in ${String(params[ref.table])} on ${view.where}.`,
      suggestions: closestNames(name, names),
    };
  }
  return null;
}

/** The flag under a field naming what is not there, each close name a button that takes it. */
export function UnknownName({
  id,
  unknown,
  onTake,
}: {
  id: string;
  unknown: { message: string; suggestions: string[] };
  onTake(name: string): void;
}) {
  return (
    <div className="field-error" id={id} data-testid={id} role="status">
      {unknown.message}
      {unknown.suggestions.length > 0 && (
        <>
          {' '}
          Did you mean{' '}
          {unknown.suggestions.map((s, i) => (
            <span key={s} className="suggestion-item">
              {i > 0 && (i === unknown.suggestions.length - 1 ? ' or ' : ', ')}
              <button
                type="button"
                className="link suggestion"
                data-testid={`${id}-take-${s}`}
                onClick={() => onTake(s)}
              >
                {s}
              </button>
              {i === unknown.suggestions.length - 1 && '?'}
            </span>
          ))}
        </>
      )}
    </div>
  );
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

export function SchemaField({ hint, params, view, onChange }: SchemaFieldProps) {
  const ref = hint.schema;
  const id = `field-${hint.name}`;
  const value = params[hint.name];
  if (ref.kind === 'default') return <DefaultField hint={hint} params={params} view={view} onChange={onChange} />;
  const set = (t: string) => onChange(t === '' ? undefined : t);
  if (ref.kind === 'type') {
    return (
      <Combobox
        id={id}
        label={hint.label}
        value={text(value)}
        options={view.columnTypes}
        placeholder={hint.placeholder}
        onChange={set}
      />
    );
  }
  const isNew = ref.newFor?.includes(String(params.operation)) ?? false;
  const tables = view.before ?? [];
  const columns = ref.kind === 'column' ? (columnsOf(view.before, params[ref.table]) ?? []) : [];
  const options = isNew ? [] : ref.kind === 'table' ? tables.map((t) => t.name) : columns.map((c) => c.name);
  const unknown = unknownName(ref, params, value, view);
  const flagId = `field-unknown-${hint.name}`;
  return (
    <>
      <Combobox
        id={id}
        label={hint.label}
        value={text(value)}
        options={options}
        placeholder={hint.placeholder}
        invalid={unknown !== null}
        describedBy={unknown ? flagId : undefined}
        onChange={set}
        detail={ref.kind === 'column' ? (o) => columns.find((c) => c.name === o)?.type : undefined}
      />
      {unknown && <UnknownName id={flagId} unknown={unknown} onTake={set} />}
    </>
  );
}

/** The default as typed (default-text.ts), and the `DEFAULT ...` the plan renders for it. */
function DefaultField({ hint, params, view, onChange }: SchemaFieldProps) {
  const ref = hint.schema as Extract<SchemaRef, { kind: 'default' }>;
  const value = params[hint.name];
  const [draft, setDraft] = useState<{ text: string; basis: unknown; error: string | null } | null>(null);
  const live = draft && draft.basis === value ? draft : null;
  const id = `field-${hint.name}`;
  const column = columnsOf(view.after, params[ref.table])?.find((c) => c.name === params[ref.column]);
  const rendered =
    value === undefined
      ? null
      : view.pending
        ? 'DEFAULT …'
        : column
          ? column.default === null
            ? 'no DEFAULT (NULL)'
            : `DEFAULT ${column.default}`
          : null;
  return (
    <>
      <div className="default-field">
        <input
          id={id}
          data-testid={id}
          type="text"
          aria-label={hint.label}
          aria-describedby={`${id}-rendered`}
          spellCheck={false}
          autoComplete="off"
          className="code"
          placeholder="'pending', 0, true, null, now()"
          value={live?.text ?? formatDefaultText(value)}
          onChange={(e) => {
            const parsed = parseDefaultText(e.target.value);
            if (parsed.ok) {
              setDraft({ text: e.target.value, basis: parsed.value, error: null });
              onChange(parsed.value);
            } else setDraft({ text: e.target.value, basis: value, error: parsed.error });
          }}
        />
        <output id={`${id}-rendered`} className="rendered-default code" data-testid={`field-rendered-${hint.name}`}>
          {rendered}
        </output>
      </div>
      {live?.error && (
        <div className="field-error" data-testid={`field-draft-error-${hint.name}`}>
          {live.error}
        </div>
      )}
    </>
  );
}
