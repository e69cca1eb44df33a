/**
 * The words of the Cases the connector creates for missed calls and voicemails, in the org's
 * language. Each entry is also a Custom Label of the package (same name, English value, Spanish
 * translation), so an admin reads and translates them where Salesforce keeps texts;
 * `npm run test:metadata` fails when a label and this table disagree. The engine cannot read labels
 * at run time (it is pure, and the REST API has no label resource), so this table is what it writes.
 */

export type CaseLanguage = 'en' | 'es';

export const CASE_TEXTS = {
  Aircall_Case_Subject_Missed: { en: 'Missed call from {0}', es: 'Llamada perdida de {0}' },
  Aircall_Case_Subject_Voicemail: { en: 'Voicemail from {0}', es: 'Mensaje de voz de {0}' },
  Aircall_Case_Caller: { en: 'Caller: {0}', es: 'Llamante: {0}' },
  Aircall_Case_Voicemail_Link: {
    en: 'Listen to the voicemail: {0}',
    es: 'Escuchar el mensaje de voz: {0}',
  },
  Aircall_Case_Call_Link: { en: 'The call in Aircall: {0}', es: 'La llamada en Aircall: {0}' },
  Aircall_Case_Summary: { en: 'AI summary', es: 'Resumen de IA' },
  Aircall_Case_Transcript: { en: 'Transcript', es: 'Transcripción' },
} as const satisfies Record<string, Record<CaseLanguage, string>>;

export type CaseTextName = keyof typeof CASE_TEXTS;

/** The org's language (Organization.LanguageLocaleKey) → the language Case texts are written in. */
export function caseLanguageOf(languageLocaleKey: string | null | undefined): CaseLanguage {
  return languageLocaleKey?.toLowerCase().startsWith('es') ? 'es' : 'en';
}

/** A text with its `{0}`, `{1}`… placeholders filled, as a Custom Label's are. */
export function caseText(name: CaseTextName, language: CaseLanguage, ...values: string[]): string {
  return CASE_TEXTS[name][language].replace(/\{(\d+)\}/g, (m, i: string) => values[Number(i)] ?? m);
}
