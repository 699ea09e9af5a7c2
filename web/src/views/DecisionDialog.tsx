// A decision needs a note (the audit trail keeps it); a malicious decision also picks the TLP that
// scopes what is shared. Reopening (taking back a decision, or asking that a superseded case be judged
// on its own) needs a note too, and uses the same dialog. A native modal <dialog> keeps focus inside and closes on Escape.
import { useEffect, useRef, useState } from 'preact/hooks';
import { type DecisionAs, TLPS, type Tlp } from '../lib/types.js';

export function DecisionDialog(props: {
  caseId: string;
  as: DecisionAs | 'reopen';
  onCancel: () => void;
  onConfirm: (note: string, tlp: Tlp | undefined) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [note, setNote] = useState('');
  const [tlp, setTlp] = useState<Tlp>('amber');
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
  }, []);
  return (
    <dialog
      ref={ref}
      class="panel decision"
      aria-labelledby="decision-h"
      onCancel={props.onCancel}
      onClose={props.onCancel}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (note.trim()) props.onConfirm(note.trim(), props.as === 'malicious' ? tlp : undefined);
        }}
      >
        <h2 id="decision-h">
          {props.as === 'reopen' ? 'Reopen' : 'Decide'} {props.caseId}
          {props.as === 'reopen' ? null : (
            <>
              :{' '}
              <span
                class={`pill t-${props.as === 'malicious' ? 'bad' : props.as === 'benign' ? 'ok' : 'warn'}`}
              >
                {props.as}
              </span>
            </>
          )}
        </h2>
        <label for="decision-note">Note (kept in the audit trail)</label>
        <textarea
          id="decision-note"
          rows={4}
          required
          value={note}
          onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
        />
        {props.as === 'malicious' ? (
          <>
            <label for="decision-tlp">Share as</label>
            <select
              id="decision-tlp"
              value={tlp}
              onChange={(e) => setTlp((e.target as HTMLSelectElement).value as Tlp)}
            >
              {TLPS.map((t) => (
                <option key={t} value={t}>
                  TLP:{t.toUpperCase()}
                </option>
              ))}
            </select>
          </>
        ) : null}
        <div class="row">
          <button
            type="submit"
            class={props.as === 'malicious' ? 'danger' : 'primary'}
            disabled={!note.trim()}
          >
            {props.as === 'reopen' ? 'Reopen' : `Decide ${props.as}`}
          </button>
          <button type="button" class="ghost" onClick={props.onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
