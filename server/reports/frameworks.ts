// Which sections a framework's report has, under which titles and requirement references. A SOC 2
// report is built from the same evidence as a PCI DSS one, mapped to its criteria.
import type { Ctx } from '@/server/context';
import { attacksSection } from './sections/attacks';
import { CARD_CLASS, cardholderDataSection } from './sections/cardholder-data';
import { loggingSection } from './sections/logging';
import { segmentationSection } from './sections/segmentation';
import type { ReportFramework, Section, SectionBuilder, SectionParams } from './types';

interface SectionSpec {
  build: SectionBuilder;
  /** replaces the builder's id, title and references */
  id: string;
  title: string;
  requirements: string[];
  /** the data section's classes: card numbers for PCI DSS, every class for SOC 2 */
  dataClasses?: string[] | null;
}

export interface FrameworkSpec {
  name: string;
  sections: SectionSpec[];
}

export const FRAMEWORKS: Record<ReportFramework, FrameworkSpec> = {
  pci_dss_v4: {
    name: 'PCI DSS v4.0',
    sections: [
      { build: segmentationSection, id: 'pci-1-segmentation', title: 'Req. 1 - Network segmentation: service whitelists', requirements: ['PCI DSS 1.2.1', 'PCI DSS 1.2.5', 'PCI DSS 1.3.1', 'PCI DSS 1.3.2'] },
      { build: cardholderDataSection, id: 'pci-3-4-cardholder-data', title: 'Req. 3 and 4 - Cardholder data flows and mTLS', requirements: ['PCI DSS 1.2.4', 'PCI DSS 3.2.1', 'PCI DSS 4.2.1', 'PCI DSS 12.5.2'], dataClasses: [CARD_CLASS] },
      { build: loggingSection, id: 'pci-10-logging', title: 'Req. 10 - Logging and monitoring', requirements: ['PCI DSS 10.2.1', 'PCI DSS 10.2.1.3', 'PCI DSS 10.2.1.4', 'PCI DSS 10.3.2', 'PCI DSS 10.3.4', 'PCI DSS 10.5.1', 'PCI DSS 10.7.2'] },
      { build: attacksSection, id: 'pci-6-11-attacks', title: 'Req. 6.4 and 11 - Attacks detected and mitigated', requirements: ['PCI DSS 6.4.1', 'PCI DSS 6.4.2', 'PCI DSS 11.5.1'] },
    ],
  },
  soc2: {
    name: 'SOC 2 (Trust Services Criteria: Security)',
    sections: [
      { build: segmentationSection, id: 'soc2-cc6-6-boundaries', title: 'CC6.6 - Boundary protection: service whitelists', requirements: ['SOC 2 CC6.6', 'SOC 2 CC6.1'] },
      { build: cardholderDataSection, id: 'soc2-cc6-1-sensitive-data', title: 'CC6.1 - Sensitive data flows and service identity', requirements: ['SOC 2 CC6.1', 'SOC 2 CC6.7'], dataClasses: null },
      { build: loggingSection, id: 'soc2-cc7-2-monitoring', title: 'CC7.2 - System monitoring: audit trail and logging', requirements: ['SOC 2 CC7.2', 'SOC 2 CC6.1'] },
      { build: attacksSection, id: 'soc2-cc7-2-anomalies', title: 'CC7.2 - Anomalies and attacks detected and mitigated', requirements: ['SOC 2 CC7.2', 'SOC 2 CC7.3'] },
    ],
  },
};

/** Every section of the framework's report, in order. */
export async function buildSections(ctx: Ctx, framework: ReportFramework, p: Omit<SectionParams, 'dataClasses'>): Promise<Section[]> {
  const out: Section[] = [];
  for (const spec of FRAMEWORKS[framework].sections) {
    const s = await spec.build(ctx, { ...p, dataClasses: spec.dataClasses === undefined ? [CARD_CLASS] : spec.dataClasses });
    out.push({ ...s, id: spec.id, title: spec.title, requirements: spec.requirements });
  }
  return out;
}
