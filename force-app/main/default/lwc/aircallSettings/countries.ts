/**
 * Which country a Default Country entry names ("FR", "fra", "France", "España", "Deutschland"), as
 * the engine reads it (src/engine/countries.ts; test/console/settings-country.test.ts keeps the two
 * in step). Free of the DOM and of the platform.
 */

/** ISO 3166-1: alpha-2 followed by alpha-3, as the engine knows them (i18n-iso-countries). */
const ISO =
  'ADAND AEARE AFAFG AGATG AIAIA ALALB AMARM AOAGO AQATA ARARG ASASM ATAUT AUAUS AWABW AXALA AZAZE BABIH BBBRB BDBGD BEBEL BFBFA BGBGR BHBHR BIBDI BJBEN BLBLM BMBMU BNBRN BOBOL BQBES BRBRA BSBHS BTBTN BVBVT BWBWA BYBLR BZBLZ CACAN CCCCK CDCOD CFCAF CGCOG CHCHE CICIV CKCOK CLCHL CMCMR CNCHN COCOL CRCRI CUCUB CVCPV CWCUW CXCXR CYCYP CZCZE DEDEU DJDJI DKDNK DMDMA DODOM DZDZA ECECU EEEST EGEGY EHESH ERERI ESESP ETETH FIFIN FJFJI FKFLK FMFSM FOFRO FRFRA GAGAB GBGBR GDGRD GEGEO GFGUF GGGGY GHGHA GIGIB GLGRL GMGMB GNGIN GPGLP GQGNQ GRGRC GSSGS GTGTM GUGUM GWGNB GYGUY HKHKG HMHMD HNHND HRHRV HTHTI HUHUN IDIDN IEIRL ILISR IMIMN ININD IOIOT IQIRQ IRIRN ISISL ITITA JEJEY JMJAM JOJOR JPJPN KEKEN KGKGZ KHKHM KIKIR KMCOM KNKNA KPPRK KRKOR KWKWT KYCYM KZKAZ LALAO LBLBN LCLCA LILIE LKLKA LRLBR LSLSO LTLTU LULUX LVLVA LYLBY MAMAR MCMCO MDMDA MEMNE MFMAF MGMDG MHMHL MKMKD MLMLI MMMMR MNMNG MOMAC MPMNP MQMTQ MRMRT MSMSR MTMLT MUMUS MVMDV MWMWI MXMEX MYMYS MZMOZ NANAM NCNCL NENER NFNFK NGNGA NINIC NLNLD NONOR NPNPL NRNRU NUNIU NZNZL OMOMN PAPAN PEPER PFPYF PGPNG PHPHL PKPAK PLPOL PMSPM PNPCN PRPRI PSPSE PTPRT PWPLW PYPRY QAQAT REREU ROROU RSSRB RURUS RWRWA SASAU SBSLB SCSYC SDSDN SESWE SGSGP SHSHN SISVN SJSJM SKSVK SLSLE SMSMR SNSEN SOSOM SRSUR SSSSD STSTP SVSLV SXSXM SYSYR SZSWZ TCTCA TDTCD TFATF TGTGO THTHA TJTJK TKTKL TLTLS TMTKM TNTUN TOTON TRTUR TTTTO TVTUV TWTWN TZTZA UAUKR UGUGA UMUMI USUSA UYURY UZUZB VAVAT VCVCT VEVEN VGVGB VIVIR VNVNM VUVUT WFWLF WSWSM XKXKK YEYEM YTMYT ZAZAF ZMZMB ZWZWE';

const ALPHA2 = new Set<string>();
const ALPHA3 = new Map<string, string>();
for (const pair of ISO.split(' ')) {
  ALPHA2.add(pair.slice(0, 2));
  ALPHA3.set(pair.slice(2), pair.slice(0, 2));
}

/** Languages whose country names are understood (the browser's names, Intl.DisplayNames). */
const NAME_LANGUAGES = ['en', 'es', 'fr', 'de', 'it', 'pt', 'nl'];
/** Everyday short names the browser does not give. */
const ALIASES: Readonly<Record<string, string>> = {
  uk: 'GB',
  usa: 'US',
  'u s a': 'US',
  eeuu: 'US',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
};

/** Lower case, no accents, punctuation folded to single spaces. */
export function foldCountry(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[.'’`]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

let names: Map<string, string> | undefined;

function countryNames(): Map<string, string> {
  if (names) return names;
  const seen = new Map<string, Set<string>>();
  for (const language of NAME_LANGUAGES) {
    let display: Intl.DisplayNames;
    try {
      display = new Intl.DisplayNames([language], { type: 'region', fallback: 'none' });
    } catch {
      continue;
    }
    for (const code of ALPHA2) {
      const name = display.of(code);
      if (!name) continue;
      const key = foldCountry(name);
      const codes = seen.get(key) ?? new Set<string>();
      codes.add(code);
      seen.set(key, codes);
    }
  }
  names = new Map(Object.entries(ALIASES));
  // A name two countries share in different languages is left out rather than guessed.
  for (const [key, codes] of seen) if (codes.size === 1) names.set(key, [...codes][0]!);
  return names;
}

/**
 * The ISO 3166-1 alpha-2 code an entry names ("FR", "fra", "France", "España", "Deutschland"), or
 * null when it names none ("Narnia", "Europe"). Upper-case three letters read as a code first.
 */
export function countryCode(text: string): string | null {
  const trimmed = text.trim();
  if (/^[A-Za-z]{2}$/.test(trimmed) && ALPHA2.has(trimmed.toUpperCase())) {
    return trimmed.toUpperCase();
  }
  const byName = () => countryNames().get(foldCountry(trimmed)) ?? null;
  const byCode = () => ALPHA3.get(trimmed.toUpperCase()) ?? null;
  if (/^[A-Z]{3}$/.test(trimmed)) return byCode() ?? byName();
  if (/^[A-Za-z]{3}$/.test(trimmed)) return byName() ?? byCode();
  return byName();
}

/** "France" for FR, in `locale` (the code itself when the browser has no name for it). */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}
