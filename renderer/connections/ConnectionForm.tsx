/**
 * Adds or edits one connection: SQLite (file path) or PostgreSQL (host, port, database, user,
 * password, SSL mode), read-only flag, checks with `connectionSchema` shown inline, "Test
 * connection", Save. The password lives only in this component's state: it is gone when the form
 * closes. Whether it may be stored follows `secrets.status` (see SecretChoice).
 */
import { useEffect, useLayoutEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../api/index.ts';
import type { Bridge, IpcError, Request, SavedConnection, SecretsStatus } from '../../shared/ipc.ts';
import {
  checkValues,
  emptyValues,
  formFieldOf,
  inlineMessage,
  ENVIRONMENT_CHOICES,
  KIND_LABEL,
  SSL_MODES,
  valuesOf,
  type ConnectionKind,
  type FieldErrors,
  type FormField,
  type FormValues,
} from './connection-form.ts';

export interface ConnectionFormProps {
  api: Bridge;
  /** The connection edited, or null for a new one. */
  editing: SavedConnection | null;
  secrets: SecretsStatus;
  onSecrets(status: SecretsStatus): void;
  onSaved(connection: SavedConnection): void;
  onCancel(): void;
}

type TestState =
  { state: 'idle' } | { state: 'testing' } | { state: 'ok'; version: string } | { state: 'failed'; error: string };

/** A failed invoke rejects with the IpcError itself (both bridges); anything else has no field. */
function ipcError(e: unknown): Pick<IpcError, 'message' | 'field'> {
  const field =
    e && typeof e === 'object' && typeof (e as IpcError).field === 'string' ? (e as IpcError).field : undefined;
  return { message: errorMessage(e), field };
}

function Field({
  id,
  label,
  error,
  help,
  children,
}: {
  id: FormField;
  label: string;
  error?: string;
  help?: ReactNode;
  children: ReactNode;
}) {
  return (
    <div className={`field${error ? ' invalid' : ''}`}>
      <label htmlFor={`conn-${id}`}>{label}</label>
      {children}
      {help && (
        <div className="field-help" id={`conn-${id}-help`} data-testid={`conn-${id}-help`}>
          {help}
        </div>
      )}
      {error && (
        <div className="field-error" id={`conn-${id}-error`} data-testid={`conn-error-${id}`} role="alert">
          {error}
        </div>
      )}
    </div>
  );
}

/** Props shared by the form's inputs: ids, test id, error wiring. */
function wiring(id: FormField, errors: FieldErrors, help = false) {
  const described = [help ? `conn-${id}-help` : '', errors[id] ? `conn-${id}-error` : ''].filter(Boolean).join(' ');
  return {
    id: `conn-${id}`,
    'data-testid': `conn-${id}`,
    'aria-invalid': errors[id] ? true : undefined,
    'aria-describedby': described || undefined,
  };
}

/** Remember / weak-storage consent / session-only, by where this machine can keep a password. */
function SecretChoice({
  api,
  secrets,
  onSecrets,
  remember,
  setRemember,
  hasPassword,
}: {
  api: Bridge;
  secrets: SecretsStatus;
  onSecrets(s: SecretsStatus): void;
  remember: boolean;
  setRemember(v: boolean): void;
  hasPassword: boolean;
}) {
  const [error, setError] = useState<string | null>(null);
  const answer = async (accept: boolean) => {
    setError(null);
    try {
      const status = await api.invoke('secrets.acceptWeakStorage', { accept });
      onSecrets(status);
      setRemember(accept);
    } catch (e) {
      setError(ipcError(e).message);
    }
  };
  const failure = error && (
    <div className="field-error" data-testid="conn-secrets-error">
      {error}
    </div>
  );
  if (secrets.backend === 'none') {
    return (
      <p className="conn-note" data-testid="conn-session-note">
        This app runs in the browser and cannot store passwords: the password is kept for this session only, until the
        app stops.
      </p>
    );
  }
  if (secrets.backend === 'basic_text' && !secrets.weakStorageAccepted) {
    return (
      <div className="conn-warning" data-testid="conn-weak-warning" role="alert">
        <p>
          <strong>This system has no secret store</strong> (such as GNOME Keyring or KWallet). A stored password would
          only be obfuscated: anyone who can read your files could recover it. Until you agree, passwords are kept for
          this session only.
        </p>
        <button type="button" data-testid="conn-weak-accept" onClick={() => void answer(true)}>
          Store passwords anyway
        </button>
        {failure}
      </div>
    );
  }
  return (
    <div className="field conn-remember">
      <label className="check">
        <input
          type="checkbox"
          data-testid="conn-remember"
          checked={remember && hasPassword}
          disabled={!hasPassword}
          onChange={(e) => setRemember(e.target.checked)}
        />
        Remember the password you type
        <span className="muted">
          {secrets.backend === 'os'
            ? ' (encrypted with the system’s secret store)'
            : ' (obfuscated only, as you agreed)'}
          {!(remember && hasPassword) && ' — otherwise it is kept for this session only'}
        </span>
      </label>
      {secrets.backend === 'basic_text' && (
        <button
          type="button"
          className="link"
          data-testid="conn-weak-revoke"
          title="Passwords already stored move to this session's memory"
          onClick={() => void answer(false)}
        >
          Stop storing passwords on this system
        </button>
      )}
      {failure}
    </div>
  );
}

export function ConnectionForm({ api, editing, secrets, onSecrets, onSaved, onCancel }: ConnectionFormProps) {
  const [values, setValues] = useState<FormValues>(() => (editing ? valuesOf(editing) : emptyValues()));
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(editing ? editing.secretKept === 'stored' : true);
  const [forget, setForget] = useState(false);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [test, setTest] = useState<TestState>({ state: 'idle' });
  const [saving, setSaving] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const formRef = useRef<HTMLFormElement>(null);
  const nameRef = useRef<HTMLInputElement>(null);

  useEffect(() => nameRef.current?.focus(), []);
  // Focus moves to the first invalid field in the commit that shows its error, not after it.
  useLayoutEffect(() => {
    if (attempt > 0) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  const canStore = secrets.backend === 'os' || (secrets.backend === 'basic_text' && secrets.weakStorageAccepted);
  const kept = editing?.kind === 'postgres' && editing.hasSecret ? editing.secretKept : null;
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    setErrors((e) => ({ ...e, [key]: undefined, general: undefined }));
    setTest({ state: 'idle' });
  };
  const text = (key: 'name' | 'path' | 'host' | 'port' | 'database' | 'user') => ({
    value: values[key],
    onChange: (e: { target: { value: string } }) => set(key, e.target.value),
  });
  /** What the channels take as `password`: typed, '' to forget the kept one, or absent to keep it. */
  const passwordToSend = values.kind !== 'postgres' ? undefined : password !== '' ? password : forget ? '' : undefined;

  const fail = (e: unknown) => {
    const { message, field } = ipcError(e);
    const target = formFieldOf(field);
    setErrors(target ? { [target]: inlineMessage(message) } : { general: message });
    setAttempt((n) => n + 1);
  };

  const runTest = async () => {
    const checked = checkValues({ ...values, name: values.name.trim() || 'unsaved connection' });
    if (!checked.ok) {
      setErrors(checked.errors);
      setAttempt((n) => n + 1);
      return;
    }
    setTest({ state: 'testing' });
    try {
      const payload: Request<'connections.test'> = { connection: checked.connection };
      if (values.id) payload.id = values.id;
      if (passwordToSend !== undefined) payload.password = passwordToSend;
      const result = await api.invoke('connections.test', payload);
      setTest(
        result.ok
          ? { state: 'ok', version: result.serverVersion ?? 'connected' }
          : { state: 'failed', error: result.error ?? 'the connection failed' },
      );
    } catch (e) {
      setTest({ state: 'failed', error: ipcError(e).message });
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (saving) return;
    const checked = checkValues(values);
    if (!checked.ok) {
      setErrors(checked.errors);
      setAttempt((n) => n + 1);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      const payload: Request<'connections.save'> = { connection: checked.connection };
      if (passwordToSend !== undefined) payload.password = passwordToSend;
      if (passwordToSend) payload.storePassword = remember && canStore;
      const saved = await api.invoke('connections.save', payload);
      setPassword('');
      onSaved(saved);
    } catch (err) {
      fail(err);
      setSaving(false);
    }
  };

  const chooseKind = (kind: ConnectionKind) => {
    set('kind', kind);
    setErrors({});
  };

  return (
    <form ref={formRef} className="conn-form" data-testid="conn-form" noValidate onSubmit={(e) => void submit(e)}>
      <div className="modal-body">
        <Field id="name" label="Name" error={errors.name}>
          <input
            ref={nameRef}
            {...wiring('name', errors)}
            {...text('name')}
            placeholder={values.kind === 'sqlite' ? 'Local app database' : 'Staging server'}
            autoComplete="off"
          />
        </Field>
        <div className="field">
          <label htmlFor="conn-kind">Kind</label>
          <select
            id="conn-kind"
            data-testid="conn-kind"
            value={values.kind}
            onChange={(e) => chooseKind(e.target.value as ConnectionKind)}
          >
            {(Object.keys(KIND_LABEL) as ConnectionKind[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABEL[k]}
              </option>
            ))}
          </select>
        </div>
        {values.kind === 'sqlite' ? (
          <Field id="path" label="Database file" error={errors.path} help="The full path of an existing SQLite file.">
            <input
              {...wiring('path', errors, true)}
              {...text('path')}
              placeholder="/home/you/app.db"
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
        ) : (
          <>
            <div className="conn-row">
              <Field id="host" label="Host" error={errors.host}>
                <input {...wiring('host', errors)} {...text('host')} autoComplete="off" spellCheck={false} />
              </Field>
              <Field id="port" label="Port" error={errors.port}>
                <input {...wiring('port', errors)} {...text('port')} inputMode="numeric" autoComplete="off" />
              </Field>
            </div>
            <div className="conn-row">
              <Field id="database" label="Database" error={errors.database}>
                <input {...wiring('database', errors)} {...text('database')} autoComplete="off" spellCheck={false} />
              </Field>
              <Field id="user" label="User" error={errors.user}>
                <input {...wiring('user', errors)} {...text('user')} autoComplete="off" spellCheck={false} />
              </Field>
            </div>
            <Field
              id="password"
              label="Password"
              error={errors.password}
              help={
                kept
                  ? `A password is kept (${kept === 'stored' ? 'stored' : 'this session only'}): leave this empty to keep it.`
                  : undefined
              }
            >
              <input
                {...wiring('password', errors, kept !== null)}
                type="password"
                value={password}
                autoComplete="new-password"
                placeholder={kept ? '•••••• (kept)' : 'none'}
                onChange={(e) => {
                  setPassword(e.target.value);
                  setErrors((x) => ({ ...x, password: undefined }));
                  setTest({ state: 'idle' });
                }}
              />
            </Field>
            {kept && (
              <label className="check">
                <input
                  type="checkbox"
                  data-testid="conn-forget"
                  checked={forget}
                  disabled={password !== ''}
                  onChange={(e) => setForget(e.target.checked)}
                />
                Forget the kept password
              </label>
            )}
            <SecretChoice
              api={api}
              secrets={secrets}
              onSecrets={onSecrets}
              remember={remember}
              setRemember={setRemember}
              hasPassword={password !== ''}
            />
            <Field id="sslMode" label="SSL mode" error={errors.sslMode}>
              <select
                {...wiring('sslMode', errors)}
                value={values.sslMode}
                onChange={(e) => set('sslMode', e.target.value as FormValues['sslMode'])}
              >
                {SSL_MODES.map((m) => (
                  <option key={m.value} value={m.value}>
                    {m.label}
                  </option>
                ))}
              </select>
            </Field>
          </>
        )}
        <Field
          id="environment"
          label="Environment"
          error={errors.environment}
          help="Shown beside the target in the toolbar; production paints a red band across the window."
        >
          <div className="conn-env">
            <select
              {...wiring('environment', errors, true)}
              value={values.environment}
              onChange={(e) => set('environment', e.target.value as FormValues['environment'])}
            >
              {values.environment === 'unset' && <option value="unset">Not set</option>}
              {ENVIRONMENT_CHOICES.map((c) => (
                <option key={c.value} value={c.value}>
                  {c.label}
                </option>
              ))}
            </select>
            {values.environment === 'custom' && (
              <>
                <input
                  data-testid="conn-environment-label"
                  aria-label="Environment label"
                  value={values.environmentLabel}
                  maxLength={40}
                  placeholder="QA"
                  autoComplete="off"
                  onChange={(e) => set('environmentLabel', e.target.value)}
                />
                <input
                  type="color"
                  data-testid="conn-environment-color"
                  aria-label="Environment colour"
                  value={values.environmentColor}
                  onChange={(e) => set('environmentColor', e.target.value)}
                />
              </>
            )}
          </div>
        </Field>
        <Field
          id="tags"
          label="Tags"
          error={errors.tags}
          help="Comma-separated (eu, tenant): the fleet panel ticks the connections of a tag at once."
        >
          <input
            {...wiring('tags', errors, true)}
            value={values.tags}
            placeholder="eu, tenant"
            autoComplete="off"
            spellCheck={false}
            onChange={(e) => set('tags', e.target.value)}
          />
        </Field>
        <label className="check">
          <input
            type="checkbox"
            data-testid="conn-readonly"
            checked={values.readOnly}
            onChange={(e) => set('readOnly', e.target.checked)}
          />
          Read-only: plan and rehearse only, never apply
        </label>
        {errors.general && (
          <div className="field-error" data-testid="conn-error-general" role="alert">
            {errors.general}
          </div>
        )}
        <div className="conn-test" data-testid="conn-test-result" data-state={test.state} aria-live="polite">
          {test.state === 'testing' && <span className="muted">Connecting…</span>}
          {test.state === 'ok' && <span className="conn-ok">Connected: {test.version}</span>}
          {test.state === 'failed' && <span className="field-error">Could not connect: {test.error}</span>}
        </div>
      </div>
      <div className="modal-actions">
        <button
          type="button"
          className="conn-test-button"
          data-testid="conn-test"
          disabled={test.state === 'testing'}
          onClick={() => void runTest()}
        >
          Test connection
        </button>
        <button type="button" data-testid="conn-cancel" onClick={onCancel}>
          Back
        </button>
        <button type="submit" className="primary" data-testid="conn-save" disabled={saving}>
          {saving ? 'Saving…' : 'Save'}
        </button>
      </div>
    </form>
  );
}
