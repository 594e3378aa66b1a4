import type { Lifeline } from './lifelines.js';
import type { MessageStep, SequenceDiagram, SequenceStep } from './sequence-model.js';

/** Mermaid ends a message at ';' or a line break and reads '#' as an entity: keep labels on one safe line. */
function label(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').replace(/;/g, ',').replace(/#/g, '#35;').trim();
}

const participantName = (lifeline: Lifeline): string => label(lifeline.name === null ? lifeline.role : `${lifeline.role} (${lifeline.name})`);

/** What a message arrow says: its type, who signed it, whom it is addressed to, and how it was protected. */
export function messageCaption(step: MessageStep): string {
  const checks = [step.sealed ? 'sealed' : 'open', step.verified ? 'verified' : 'NOT VERIFIED'];
  const signers = step.signers.length > 0 ? `signed ${step.signers.join(' + ')}` : 'unsigned';
  return `${step.type} (${signers}, to ${step.addressee ?? '?'}, ${checks.join(', ')})`;
}

function stepLine(step: SequenceStep, alias: (key: string) => string): string {
  switch (step.kind) {
    case 'message':
      return `  ${alias(step.from)}${step.verified ? '->>' : '-x'}${alias(step.to)}: ${label(messageCaption(step))}`;
    case 'refusal':
      return `  ${alias(step.from)}-x${alias(step.to)}: ${label(`REFUSED ${step.type}: ${step.reason}${step.message === '' ? '' : ` - ${step.message}`}`)}`;
    case 'hop':
      return `  ${alias(step.from)}-->>${alias(step.to)}: ${label(step.type)}`;
    case 'note':
      return `  Note over ${alias(step.lifeline)}: ${label(`${step.type}: ${step.fromState ?? 'new'} → ${step.toState ?? '?'}`)}`;
  }
}

/** A sequence diagram as Mermaid `sequenceDiagram` text, for documents: participants in the spec's order and names. */
export function sequenceToMermaid(diagram: SequenceDiagram): string {
  const aliases = new Map(diagram.lifelines.map((lifeline, index) => [lifeline.key, `P${index}`]));
  const alias = (key: string) => aliases.get(key) ?? 'Unknown';
  const lines = ['sequenceDiagram', `  title ${label(diagram.processGroup)}`];
  for (const lifeline of diagram.lifelines) lines.push(`  participant ${alias(lifeline.key)} as ${participantName(lifeline)}`);
  for (const step of diagram.steps) lines.push(stepLine(step, alias));
  return `${lines.join('\n')}\n`;
}
