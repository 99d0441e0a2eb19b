// The words the page uses for each status: a short label, a tone (never the only signal: the
// label is always written out), and a plain-language explanation for members.

export const coverageWords = {
  covered: { label: 'Covered', tone: 'ok', plain: 'The policy says this service is covered.' },
  'covered-with-criteria': {
    label: 'Covered when criteria are met',
    tone: 'warn',
    plain: 'The policy covers this service only when the criteria it lists are met.',
  },
  'not-medically-necessary': {
    label: 'Not medically necessary',
    tone: 'stop',
    plain: 'The policy considers this service not medically necessary, so it is generally not covered.',
  },
  investigational: {
    label: 'Investigational',
    tone: 'stop',
    plain:
      'The policy calls this service investigational: the plan has judged that the evidence does not yet show it ' +
      'improves health outcomes. Plans generally do not pay for investigational services.',
  },
  'not-covered': { label: 'Not covered', tone: 'stop', plain: 'The policy says this service is not covered.' },
  'not-in-data': {
    label: 'Not in our data',
    tone: 'none',
    plain:
      'None of the policies in this checker speaks to this. That does not mean it is not covered: ask the plan.',
  },
};

export const authorizationWords = {
  required: {
    label: 'Prior authorization required',
    tone: 'warn',
    plain: (setting) =>
      `Before this is done ${setting === 'inpatient' ? 'as an inpatient' : 'as an outpatient'}, the provider must ` +
      'ask the plan for approval (prior authorization, also called precertification).',
  },
  'not-required': {
    label: 'No prior authorization required',
    tone: 'ok',
    plain: () => 'The policy says no prior authorization is needed in this setting.',
  },
  'not-covered': {
    label: 'This is not a covered service',
    tone: 'stop',
    plain: (setting) =>
      `The policy answers “This is not a covered service.” for the ${setting} setting, so there is no ` +
      'authorization to request.',
  },
  'not-in-data': {
    label: 'Not in our data',
    tone: 'none',
    plain: () => 'None of the policies in this checker gives a prior-authorization rule for this.',
  },
};

export const settingLabels = { inpatient: 'Inpatient', outpatient: 'Outpatient' };

export function coverageWord(status) {
  return coverageWords[status] ?? { label: status, tone: 'none', plain: '' };
}

export function authorizationWord(status) {
  return authorizationWords[status] ?? { label: status, tone: 'none', plain: () => '' };
}
