/**
 * The console's own words (its tab bar, calls page, utility bar, and what Lightning itself shows
 * around the package's components: record headers, the Activity timeline), in the session user's
 * language as the page gives it (index.html). The package's components use their Custom Labels.
 */
const TEXTS = {
  en: {
    pages: 'Console pages',
    calls: 'Calls',
    settings: 'Aircall Settings',
    omni: 'Omni-Channel mapping',
    dashboard: 'Dashboard',
    utility: 'Utility bar',
    language: 'Language',
    english: 'English',
    spanish: 'Español',
    close: 'Close',
    callsCount: 'Calls ({0})',
    callsList: 'Calls, newest first',
    showing: 'Showing the {0} most recent.',
    live: 'Live',
    loading: 'Loading calls',
    noCalls: 'No calls yet. The simulator sends one every few seconds.',
    noAgent: 'No agent',
    unknownNumber: 'Unknown number',
    inbound: 'Inbound',
    outbound: 'Outbound',
    leaveTitle: 'Leave this page?',
    leaveMessage: 'Changes you made on this page are not saved.',
    activity: 'Activity ({0})',
    noActivities: 'No activities to show.',
    noSubject: '(no subject)',
    personAccount: 'Person Account',
  },
  es: {
    pages: 'Páginas de la consola',
    calls: 'Llamadas',
    settings: 'Configuración de Aircall',
    omni: 'Correspondencia de Omni-Channel',
    dashboard: 'Panel',
    utility: 'Barra de utilidades',
    language: 'Idioma',
    english: 'English',
    spanish: 'Español',
    close: 'Cerrar',
    callsCount: 'Llamadas ({0})',
    callsList: 'Llamadas, de la más reciente a la más antigua',
    showing: 'Se muestran las {0} más recientes.',
    live: 'En directo',
    loading: 'Cargando llamadas',
    noCalls: 'Aún no hay llamadas. El simulador envía una cada pocos segundos.',
    noAgent: 'Sin agente',
    unknownNumber: 'Número desconocido',
    inbound: 'Entrante',
    outbound: 'Saliente',
    leaveTitle: '¿Salir de esta página?',
    leaveMessage: 'Los cambios que hizo en esta página no están guardados.',
    activity: 'Actividad ({0})',
    noActivities: 'No hay actividades para mostrar.',
    noSubject: '(sin asunto)',
    personAccount: 'Cuenta personal',
  },
} as const;

export type TextKey = keyof (typeof TEXTS)['en'];

export function language(): 'en' | 'es' {
  return (globalThis as { __consoleLanguage?: string }).__consoleLanguage === 'es' ? 'es' : 'en';
}

export function t(key: TextKey, ...args: string[]): string {
  return TEXTS[language()][key].replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m);
}

/** Sets the session user's language in the org (as their personal settings would) and reloads. */
export async function switchLanguage(to: 'en_US' | 'es'): Promise<void> {
  const r = await fetch('/api/language', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ language: to }),
  });
  if (!r.ok) throw new Error(`The language could not be changed (HTTP ${r.status}).`);
  window.location.reload();
}
