import { json } from '@codemirror/lang-json';
import { python } from '@codemirror/lang-python';
import { lintGutter, setDiagnostics, type Diagnostic } from '@codemirror/lint';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { oneDark } from '@codemirror/theme-one-dark';
import { EditorView, keymap } from '@codemirror/view';
import { basicSetup } from 'codemirror';
import { useEffect, useRef } from 'react';

export interface EditorError {
  line: number;
  column: number;
  message: string;
}

interface Props {
  value: string;
  onChange: (v: string) => void;
  onRun: () => void;
  language: 'pxl' | 'json';
  dark: boolean;
  label: string;
  error: EditorError | null;
}

/** Converts a 1-based line:column (characters) to a document offset. */
export function offsetOf(state: EditorState, line: number, column: number): number {
  const l = state.doc.line(Math.min(Math.max(1, line), state.doc.lines));
  return Math.min(l.to, l.from + Math.max(0, column - 1));
}

/** CodeMirror 6: PxL (Python) or JSON highlighting, Ctrl/Cmd+Enter runs, errors as inline diagnostics. */
export function CodeEditor({ value, onChange, onRun, language, dark, label, error }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const theme = useRef(new Compartment());
  const cb = useRef({ onChange, onRun });
  cb.current = { onChange, onRun };

  useEffect(() => {
    if (!host.current) return;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          Prec.highest(
            keymap.of([
              {
                key: 'Mod-Enter',
                run: () => {
                  cb.current.onRun();
                  return true;
                },
              },
            ]),
          ),
          basicSetup,
          language === 'pxl' ? python() : json(),
          lintGutter(),
          theme.current.of(dark ? oneDark : []),
          EditorView.contentAttributes.of({ 'aria-label': label }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) cb.current.onChange(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is created once; value changes from outside are applied below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: theme.current.reconfigure(dark ? oneDark : []) });
  }, [dark]);

  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const diags: Diagnostic[] = [];
    if (error && error.line > 0) {
      let from = offsetOf(v.state, error.line, error.column);
      const line = v.state.doc.lineAt(from);
      let to = Math.min(line.to, from + 1);
      if (to === from) {
        // At the end of a line (e.g. "expected an expression"): mark the whole line.
        from = line.from;
        to = line.to;
      }
      diags.push({ from, to, severity: 'error', message: `${error.line}:${error.column}: ${error.message}` });
    }
    v.dispatch(setDiagnostics(v.state, diags));
  }, [error]);

  return <div className="editor" ref={host} data-language={language} />;
}
