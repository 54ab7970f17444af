#include "model.h"

namespace keel::specgen {
namespace {

template <typename T>
const T* find_by_name(const std::vector<T>& items, const std::string& name) {
  for (const T& item : items) {
    if (item.name == name) return &item;
  }
  return nullptr;
}

template <typename T>
int index_by_name(const std::vector<T>& items, const std::string& name) {
  for (size_t i = 0; i < items.size(); ++i) {
    if (items[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

const DtypeDef* GlobalSpec::find_dtype(const std::string& name) const { return find_by_name(dtypes, name); }
const TypeSetDef* GlobalSpec::find_type_set(const std::string& name) const { return find_by_name(type_sets, name); }
const RuleDef* GlobalSpec::find_predicate(const std::string& name) const { return find_by_name(predicates, name); }
const RuleDef* GlobalSpec::find_shape_rule(const std::string& name) const { return find_by_name(shape_rules, name); }
const RuleDef* GlobalSpec::find_count_rule(const std::string& name) const { return find_by_name(count_rules, name); }
const RuleDef* GlobalSpec::find_data_domain(const std::string& name) const { return find_by_name(data_domains, name); }
const HelperDef* GlobalSpec::find_helper(const std::string& name) const { return find_by_name(helpers, name); }

const AttrDef* OpDef::find_attr(const std::string& attr_name) const { return find_by_name(attrs, attr_name); }
int OpDef::attr_index(const std::string& attr_name) const { return index_by_name(attrs, attr_name); }
int OpDef::input_index(const std::string& input_name) const { return index_by_name(inputs, input_name); }
int OpDef::output_index(const std::string& output_name) const { return index_by_name(outputs, output_name); }
int OpDef::type_var_index(const std::string& var_name) const { return index_by_name(types, var_name); }

}  // namespace keel::specgen
