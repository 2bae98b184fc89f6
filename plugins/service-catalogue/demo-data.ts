import type { CharterContent } from "./charter";
import type { KpiInput, ServiceInput } from "./schema";

// The guide's worked example (004 §3.3–3.4), word for word where the guide gives the words:
// the service card and documentation card of "إصدار شهادة لمن يهمه الأمر" — five steps, ten
// minutes (the steps live in the demo workflow "certificate-to-whom", seeds/workflows.ts) and
// two KPIs — and the example service charter of chapter 4. Shared by the seed and the tests.

export const WORKED_EXAMPLE_WORKFLOW_KEY = "certificate-to-whom";

/** The card of the worked example; the seed adds the organisation's name as the entity and unit 16. */
export function workedExampleService(entity: { ar: string; en: string }, unitId: string): ServiceInput {
  return {
    nameAr: "إصدار شهادة لمن يهمه الأمر",
    nameEn: "Issue a to whom it may concern certificate",
    descriptionAr: "مستخرج رسمي يفيد بحالة صاحب العلاقة إذا كان يعمل في القطاع الحكومي أو القطاع الخاص بالإضافة إلى إذا كان مسجلاً كباحث عن عمل لدى ديوان الخدمة المدنية والتطوير الحكومي.",
    descriptionEn:
      "An official statement of whether the person concerned works in the government or the private sector, and whether they are registered as a job seeker with the Civil Service and Government Development Bureau.",
    categoryAr: "الشهادات",
    categoryEn: "Certificates",
    entityAr: entity.ar,
    entityEn: entity.en,
    unitId,
    segment: "G2C",
    level: "main",
    parentId: null,
    linkage: "unlinked",
    linkType: null,
    linkedEntityAr: "",
    linkedEntityEn: "",
    slaReference: "",
    channel: "partial",
    channelDetailsAr: "مراكز خدمة المتعاملين والموقع الإلكتروني",
    channelDetailsEn: "Customer service centres and the website",
    conditionsAr: "صالحة لمدة (15) يوم من تاريخ صدورها\nلا تشمل المتقاعدين",
    conditionsEn: "Valid for 15 days from the date of issue\nDoes not cover retirees",
    documentsAr: "البطاقة الشخصية\nأن يكون رقم الجوال مسجلاً باسم صاحب البطاقة الشخصية",
    documentsEn: "Identity card\nThe mobile number must be registered in the name of the identity card holder",
    feesAr: "لا يوجد",
    feesEn: "None",
    contactAr: "الخط الساخن 16008",
    contactEn: "Hotline 16008",
    finalProductAr: "شهادة لمن يهمه الامر",
    finalProductEn: "To whom it may concern certificate",
    estimatedMinutes: 10,
    workflowKey: WORKED_EXAMPLE_WORKFLOW_KEY,
  };
}

/** The two KPIs of the worked example, computed from the service's cases. */
export const WORKED_EXAMPLE_KPIS: KpiInput[] = [
  {
    nameAr: "نسبة الأخطاء في تسليم الخدمة",
    nameEn: "Error rate in delivering the service",
    formulaAr: "(عدد الخدمات المرتجعة نتيجة وجود خطأ/ إجمالي عدد الخدمات المقدمة) * 100",
    formulaEn: "(services returned because of an error / total services delivered) × 100",
    method: "errorRate",
    field: "returned",
    expression: "",
    frequency: "half-yearly",
    target: 1,
    unit: "percent",
    direction: "atMost",
  },
  {
    nameAr: "نسبة رضا المتعاملين عن الخدمة",
    nameEn: "Customer satisfaction with the service",
    formulaAr: "نسبة الرضا الناتجة من استبيانات رأي المتعاملين",
    formulaEn: "Satisfaction from customer opinion surveys",
    method: "satisfaction",
    field: "",
    expression: "",
    frequency: "half-yearly",
    target: 95,
    unit: "percent",
    direction: "atLeast",
  },
];

/**
 * The guide's steps table and KPI table of the worked example (§3.4), quoted verbatim, for
 * comparing with what Masar renders. (The demo workflow spells "الأمر" with its hamza where the
 * guide's step 4 has "الامر"; comparisons normalise hamza forms.)
 */
export const GUIDE_STEPS_TABLE = {
  rows: [
    ["1", "استلام الطلب", "استلام الطلب من قبل موظف خدمة المتعاملين", "موظف خدمة المتعاملين", "استمارة تقديم الخدمة", "الطلب والمستندات المطلوبة", "النظام الإلكتروني", "2"],
    ["2", "دراسة الطلب", "يتم دراسة الطلب من قبل موظف مختص", "موظف مختص", "الطلب والمستندات المطلوبة", "دراسة الطلب والتوصيات", "النظام الإلكتروني", "4"],
    ["3", "اعتماد الطلب", "يتم اعتماد الطلب في حين استيفاء الشروط", "متخذ القرار", "دراسة الطلب والتوصيات", "الموافقة على الطلب", "النظام الإلكتروني", "1"],
    ["4", "طباعة وتسليم الشهادة", "يقوم موظف خدمة المتعاملين بتسليم شهادة لمن يهمه الامر للمتعامل", "موظف خدمة المتعاملين", "الموافقة على الطلب", "طباعة وتسليم منتج الخدمة النهائي", "وجهًا لوجه", "2"],
    ["5", "استلام الخدمة", "يتم استلام الخدمة المرجوة من الجهة", "المتعامل", "تقديم وتسليم الخدمة", "استلام الخدمة", "وجهًا لوجه", "1"],
  ],
  totalSteps: 5,
  totalMinutes: 10,
  kpis: [
    ["1", "نسبة الأخطاء في تسليم الخدمة", "(عدد الخدمات المرتجعة نتيجة وجود خطأ/ إجمالي عدد الخدمات المقدمة) * 100", "نصف سنوي", "1%", "نسبة مئوية"],
    ["2", "نسبة رضا المتعاملين عن الخدمة", "نسبة الرضا الناتجة من استبيانات رأي المتعاملين", "نصف سنوي", "95%", "نسبة مئوية"],
  ],
};

/**
 * The demo's fully digital service (not in the guide; DOMAIN.md §1, the customer journey):
 * "تحديث بيانات أسرة مستفيدة", requested and followed on the public portal without a visit.
 * Its workflow "family-data-update" (seeds/workflows.ts) starts with the form the citizen fills
 * in and ends with the notice they read when tracking the request.
 */
export const DIGITAL_DEMO_WORKFLOW_KEY = "family-data-update";

export function digitalDemoService(entity: { ar: string; en: string }, unitId: string): ServiceInput {
  return {
    nameAr: "تحديث بيانات أسرة مستفيدة",
    nameEn: "Update beneficiary family details",
    descriptionAr: "تحديث بيانات الأسرة المسجلة مستفيدةً لدى الدائرة (مولود جديد، عنوان السكن، دخل الأسرة، الحالة الاجتماعية) إلكترونيًا دون زيارة مركز خدمة المتعاملين، ومتابعة الطلب برمز المتابعة.",
    descriptionEn:
      "Update the record of a family registered as a beneficiary (a new baby, the home address, the family's income, marital status) online without visiting a customer service centre, and follow the request with its tracking code.",
    categoryAr: "خدمات المستفيدين",
    categoryEn: "Beneficiary services",
    entityAr: entity.ar,
    entityEn: entity.en,
    unitId,
    segment: "G2C",
    level: "main",
    parentId: null,
    linkage: "unlinked",
    linkType: null,
    linkedEntityAr: "",
    linkedEntityEn: "",
    slaReference: "",
    channel: "digital",
    channelDetailsAr: "البوابة الإلكترونية للدائرة: تقديم الطلب ومتابعته وتقييم الخدمة",
    channelDetailsEn: "The department's e-services portal: request, tracking and rating",
    conditionsAr: "أن تكون الأسرة مسجلة مستفيدةً لدى الدائرة\nأن يقدم الطلب رب الأسرة أو من ينوب عنه",
    conditionsEn: "The family is registered as a beneficiary with the department\nThe head of the family, or someone acting for them, sends the request",
    documentsAr: "رقم الهوية الوطنية لرب الأسرة\nرقم هاتف أو بريد إلكتروني لمتابعة الطلب",
    documentsEn: "The national ID number of the head of the family\nA phone number or email address to follow the request",
    feesAr: "لا يوجد",
    feesEn: "None",
    contactAr: "الخط الساخن 16008",
    contactEn: "Hotline 16008",
    finalProductAr: "سجل الأسرة محدث وإشعار بالنتيجة",
    finalProductEn: "An updated family record and a notice of the result",
    estimatedMinutes: 20,
    workflowKey: DIGITAL_DEMO_WORKFLOW_KEY,
  };
}

/** Its two KPIs, both computed: satisfaction from the portal's ratings, hours to complete from its cases. */
export const DIGITAL_DEMO_KPIS: KpiInput[] = [
  {
    nameAr: "نسبة رضا المتعاملين عن الخدمة",
    nameEn: "Customer satisfaction with the service",
    formulaAr: "(متوسط تقييمات المتعاملين على البوابة من 1 إلى 5 / 5) * 100",
    formulaEn: "(mean of the customers' portal ratings, 1 to 5 / 5) × 100",
    method: "satisfaction",
    field: "",
    expression: "",
    frequency: "quarterly",
    target: 90,
    unit: "percent",
    direction: "atLeast",
  },
  {
    nameAr: "متوسط زمن إنجاز الطلب",
    nameEn: "Average time to complete a request",
    formulaAr: "مجموع ساعات إنجاز الطلبات المكتملة / عدد الطلبات المكتملة",
    formulaEn: "total hours to complete the completed requests / number of completed requests",
    method: "custom",
    field: "",
    // The completion-time preset is in minutes; the charter promises hours.
    expression: 'if count(cases[status = "completed"]) = 0 then null else mean(cases[status = "completed"].durationMinutes) / 60',
    frequency: "quarterly",
    target: 48,
    unit: "hours",
    direction: "atMost",
  },
];

const l = (ar: string, en: string) => ({ ar, en });
const list = (ar: string[], en: string[]) => ({ ar, en });

/** The guide's example service charter (chapter 4), signed by the demo organisation. */
export function guideCharter(
  org: { ar: string; en: string },
  signatory: {
    name: { ar: string; en: string };
    title: { ar: string; en: string };
  },
): CharterContent {
  return {
    title: l(`ميثاق تقديم الخدمات للمتعاملين — ${org.ar}`, `Customer service charter — ${org.en}`),
    introduction: l(
      "تهدف هذه الوثيقة إلى تحديد التزامات مقدم الخدمة لتوفير خدمة عالية المستوى للمتعاملين وضمان توفير احتياجات المتعاملين التي تدعم قيمنا. ويأتي هذا الالتزام لضمان توفير التطور المستمر من خلال الابتكار وتطوير الخدمات من خلال قنوات متعددة وتحسين رحلة المتعاملين.",
      "This document sets out the provider's commitments to deliver a high level of service to customers and meet their needs in support of our values. The commitment ensures continuous improvement through innovation, developing services across several channels and improving the customer journey.",
    ),
    values: list(
      ["الكفاءة", "الالتزام", "الابتكار", "النزاهة", "المسؤولية", "التعاون", "الاحترام"],
      ["Efficiency", "Commitment", "Innovation", "Integrity", "Responsibility", "Cooperation", "Respect"],
    ),
    axes: [
      {
        axis: l("معرفة المتعاملين", "Knowing our customers"),
        commitments: [
          {
            commitment: l("احترام كرامة المتعاملين وحقوقهم في الحصول على خدمة عادلة ومحترمة", "Respect customers' dignity and their right to fair and respectful service"),
            serviceLevels: list(
              ["الحصول على الخدمة بغض النظر عن اختلاف المتعاملين من حيث جنسياتهم ولغاتهم، والاعتراف بالتنوع الثقافي لهم، والتعهد بالتسامح والاحترام المتبادل"],
              ["Service regardless of customers' nationality or language, recognising their cultural diversity, with tolerance and mutual respect"],
            ),
          },
          {
            commitment: l("التعامل مع كل متعامل على أنه فرد فريد له متطلبات وتوقعات محددة", "Treat every customer as an individual with specific needs and expectations"),
            serviceLevels: list(
              [
                "توفير المعلومات والإرشادات اللازمة للمتعاملين من خلال الموقع الإلكتروني ومنصات التواصل الاجتماعي ومركز الاتصال",
                "إجراء استطلاعات رأي لقياس مدى رضا المتعاملين عن الخدمة المقدمة، واستخدام النتائج لتحسين الخدمة",
              ],
              ["Information and guidance on the website, social media and the contact centre", "Satisfaction surveys after the service, with the results used to improve it"],
            ),
          },
        ],
      },
      {
        axis: l("شفافية في تقديم الخدمات", "Transparency in service delivery"),
        commitments: [
          {
            commitment: l(
              "ضمان أن خدماتنا ووثائقنا وإجراءاتنا شفافة وعادلة وتوفر معلومات كاملة حول خدماتنا",
              "Our services, documents and procedures are transparent and fair, with complete information",
            ),
            serviceLevels: list(
              ["تزويد المتعاملين بتفاصيل رسوم الخدمات التي يتعين عليهم دفعها", "إخطار المتعاملين بأي تغييرات تطرأ على الرسوم", "إخطار المتعاملين في حالات إضافة أو إلغاء تقديم أي من الخدمات"],
              ["Customers are told the fees they have to pay", "Customers are notified of any change in fees", "Customers are notified when a service is added or withdrawn"],
            ),
          },
        ],
      },
      {
        axis: l("خدمات متاحة للجميع", "Services accessible to all"),
        commitments: [
          {
            commitment: l("يسهل الوصول إلينا عبر قنوات مباشرة وافتراضية مختلفة", "We are easy to reach through direct and virtual channels"),
            serviceLevels: list(
              ["توفير العناية الخاصة للمتعاملين من ذوي الاحتياجات الخاصة وكبار السن", "أوقات عمل مناسبة لجميع المتعاملين", "حماية بيانات المتعاملين من خلال اتباع مجموعة من الضوابط الداخلية"],
              ["Special care for customers with disabilities and the elderly", "Working hours suitable for all customers", "Customers' data protected by internal controls"],
            ),
          },
        ],
      },
      {
        axis: l("توفير الخدمات بشكل سريع وفعال", "Fast and effective service"),
        commitments: [
          {
            commitment: l("سوف نتعامل مع شكاوى وملاحظات المتعاملين بسرعة وفعالية", "We handle customers' complaints and feedback quickly and effectively"),
            serviceLevels: list(
              ["تلقي الشكاوى والمقترحات ومعالجتها خلال 48 أو 72 ساعة، وتزويد المتعاملين بمعلومات حول حالة شكاواهم"],
              ["Complaints and suggestions handled within 48 or 72 hours, with status updates to the customer"],
            ),
          },
        ],
      },
    ],
    customerObligations: list(
      [
        "تقديم جميع المعلومات والوثائق اللازمة المتعلقة بالخدمة المطلوبة لضمان توفير الخدمة بأسرع وقت",
        "الالتزام بالقواعد المحددة واحترام المرافق والموظفين والمتعاملين الآخرين واتباع إرشادات المشرفين",
        "الامتناع عن التسبب في الإزعاج أو التحدث بصوت عالٍ أو التقاط الصور داخل الجهة",
      ],
      [
        "Provide all information and documents the requested service needs, so it can be delivered as fast as possible",
        "Follow the rules, respect the premises, the staff and other customers, and follow the supervisors' guidance",
        "Do not cause disturbance, speak loudly or take photographs on the premises",
      ],
    ),
    signature: { name: signatory.name, title: signatory.title, date: null },
  };
}
