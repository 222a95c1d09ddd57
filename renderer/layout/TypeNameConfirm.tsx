/**
 * The production confirmation of the Apply, Resume and Roll back dialogs: on a production
 * connection the user types its name before the action is enabled.
 */
import { useState, type ReactNode } from 'react';

export interface TypeNameConfirm {
  /** True when the action may go on: not production, or the name typed exactly. */
  confirmed: boolean;
  /** The field to put in the dialog's form (null when the connection is not production). */
  field: ReactNode;
}

/**
 * `action`: the dialog's testid prefix (`apply` gives `apply-type-name`); `verb`: what typing the
 * name allows (`roll back`); `autoFocus`: the field takes the focus when the dialog opens;
 * `prompt`: the field's label when it is not one production connection's (a fleet's targets).
 */
export function useTypeNameConfirm(
  connection: string,
  production: boolean,
  action: string,
  verb: string,
  autoFocus = false,
  prompt?: ReactNode,
): TypeNameConfirm {
  const [typed, setTyped] = useState('');
  const id = `${action}-type-name`;
  const field = production ? (
    <div className="field production-confirm">
      <label htmlFor={id}>
        {prompt ?? (
          <>
            {connection} is a <strong>production</strong> connection. Type its name to {verb}:
          </>
        )}
      </label>
      <input
        id={id}
        data-testid={id}
        autoFocus={autoFocus}
        autoComplete="off"
        spellCheck={false}
        value={typed}
        placeholder={connection}
        onChange={(e) => setTyped(e.target.value)}
      />
    </div>
  ) : null;
  return { confirmed: !production || typed === connection, field };
}
