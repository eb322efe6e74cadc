/** `/policies/shop/users`: a service's policy page (its name keeps its slash). */
export const policyHref = (service: string, query = '') => `/policies/${service.split('/').map(encodeURIComponent).join('/')}${query ? `?${query}` : ''}`;
